using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Docs
{
    /// <summary>
    /// Every C# block of README.md and of the packages' READMEs (src/**/PACKAGE.md, src/**/README.md) compiles with
    /// Roslyn against the built assemblies, as a new user would paste it into a console app. A block that continues an
    /// earlier one is marked in the Markdown (<c>&lt;!-- snippet: fragment(…) --&gt;</c>, see
    /// <see cref="MarkdownSnippet"/>); bash, XML and other blocks are not C# and not compiled.
    /// </summary>
    [TestClass]
    public sealed class ReadmeSnippetTests
    {
        /// <summary>Each C# block as (file, line of its fence).</summary>
        public static IEnumerable<object[]> Snippets => AllSnippets().Select(s => new object[] { s.File, s.Line });

        [TestMethod]
        [DynamicData(nameof(Snippets))]
        public void CompilesAgainstTheBuiltAssemblies(string file, int line)
        {
            var snippet = AllSnippets().Single(s => s.File == file && s.Line == line);

            var errors = SnippetCompiler.Errors(snippet);

            Assert.IsEmpty(errors, $"{snippet} does not compile:\n{string.Join("\n", errors)}\n--- snippet ---\n{snippet.Code}");
        }

        [TestMethod]
        public void TheReadmesHaveTheirCSharpBlocks()
        {
            var counts = Documents().ToDictionary(d => d.Display, d => MarkdownSnippet.Read(d.Path, d.Display).Count);

            Assert.IsGreaterThanOrEqualTo(5, counts["README.md"], "README.md: train/save/load, plain load, images, module CNN, transformer");
            Assert.IsGreaterThanOrEqualTo(1, counts.Where(c => c.Key.EndsWith("PACKAGE.md", StringComparison.Ordinal)).Sum(c => c.Value),
                "the core package's README");
        }

        /// <summary>The check fails on a snippet that does not compile: the package README's old PyTorch line, where
        /// <c>model</c> is the fitted chain and ExportStateDict takes the InitCnn model parameters (CS1929).</summary>
        [TestMethod]
        public void AWrongReceiver_IsReportedWithItsCompilerError()
        {
            const string Old = """
                using Microsoft.ML;
                using Microsoft.ML.Transforms;
                using Microsoft.ML.WeightInit.Data;
                using Microsoft.ML.WeightInit.Interop;
                using Microsoft.ML.WeightInit.Trainers;

                var mlContext = new MLContext(seed: 0);
                var train = mlContext.Data.LoadMnistSample(MnistSplit.Train);
                var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                    .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 2));
                var model = pipeline.Fit(train);
                model.ExportStateDict("net.pt");
                """;

            var errors = SnippetCompiler.Errors(Old, OutputKind.ConsoleApplication);

            Assert.HasCount(1, errors, string.Join("\n", errors));
            StringAssert.StartsWith(errors[0], "CS1929 at line 12");
        }

        private static IEnumerable<MarkdownSnippet> AllSnippets() => Documents().SelectMany(d => MarkdownSnippet.Read(d.Path, d.Display));

        private static IEnumerable<(string Path, string Display)> Documents()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Extensions.sln")))
            {
                root = root.Parent;
            }
            Assert.IsNotNull(root, "repository root not found");
            return Documents(root.FullName);
        }

        private static IEnumerable<(string Path, string Display)> Documents(string root)
        {
            yield return (Path.Combine(root, "README.md"), "README.md");
            foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.md", SearchOption.AllDirectories)
                .Where(p => Path.GetFileName(p) is "PACKAGE.md" or "README.md")
                .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                .Order(StringComparer.Ordinal))
            {
                yield return (path, Path.GetRelativePath(root, path));
            }
        }
    }
}
