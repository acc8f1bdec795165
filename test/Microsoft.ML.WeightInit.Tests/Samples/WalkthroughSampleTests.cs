using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Samples
{
    /// <summary>samples/weight-initialization.cs, the seed article as a .NET 10 file-based app, run as a user runs it
    /// (<c>dotnet run samples/weight-initialization.cs</c>) on the bundled sample.</summary>
    [TestClass]
    public sealed class WalkthroughSampleTests
    {
        [TestMethod]
        [Timeout(900_000)]
        public void RunsTheArticleStepsAndPrintsItsTables()
        {
            string root = RepositoryRoot();
            var start = new ProcessStartInfo("dotnet", "run samples/weight-initialization.cs -- --epochs 1")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            var errorTask = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string error = errorTask.Result;
            Assert.AreEqual(0, process.ExitCode, $"the sample failed:\n{output}\n{error}");

            // The article's steps, in its order.
            string[] steps = { "nn.Conv2d(1, 20, 5, 1)", "constant_(conv1.weight, 0)", "xavier_uniform_(conv1.weight)", "Mean initialization", "Training under each initializer" };
            var positions = steps.Select(s => output.IndexOf(s, StringComparison.Ordinal)).ToArray();
            Assert.IsTrue(positions.All(p => p >= 0), $"a step is missing from the output:\n{output}");
            CollectionAssert.AreEqual(positions.OrderBy(p => p).ToArray(), positions, "the steps are out of the article's order");
            StringAssert.Contains(output, "conv1.weight.shape = [20, 1, 5, 5]");
            StringAssert.Contains(output, "conv1.bias.shape = [20]");

            // The mean listing is the library's, for seed 1, printed round-trip exact.
            foreach (var line in MeanInitializationListing.Run(seed: 1))
            {
                StringAssert.Contains(output, $"{line.Label}: {line.Mean.ToString("R", CultureInfo.InvariantCulture)}");
            }

            // Both of the article's tables, with a column per initializer of the comparison and a row per epoch.
            var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            foreach (string title in new[] { "Average loss", "Accuracy" })
            {
                int at = lines.IndexOf(title);
                Assert.IsTrue(at >= 0, $"table '{title}' missing:\n{output}");
                var header = lines[at + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                CollectionAssert.AreEqual(new[] { "Epoch" }.Concat(ComparisonOptions.ArticleInitializers).ToArray(), header);
                var row = lines[at + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.AreEqual("1", row[0]);
                Assert.AreEqual(header.Length, row.Length, lines[at + 2]);
                Assert.IsTrue(row.Skip(1).All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)), lines[at + 2]);
            }
            StringAssert.Contains(output, "zeros: stuck");
            StringAssert.Contains(output, "xavier_uniform: learned");
        }

        private static string RepositoryRoot()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Extensions.sln")))
            {
                root = root.Parent;
            }
            Assert.IsNotNull(root, "repository root not found");
            return root.FullName;
        }
    }
}
