using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Microsoft.ML.WeightInit.Tests.Docs
{
    /// <summary>
    /// Compiles documentation snippets with Roslyn as a new user's console app would: C# latest, nullable enabled, the
    /// console template's implicit usings, against the assemblies this test runs with (the built library and its
    /// packages; not the test assembly nor the CLI app).
    /// </summary>
    internal static class SnippetCompiler
    {
        /// <summary>The implicit usings of <c>dotnet new console</c>.</summary>
        private const string ImplicitUsings = """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Threading;
            global using System.Threading.Tasks;
            """;

        private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

        private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

        /// <summary>Compiles a snippet (a fragment inside its base block's context).</summary>
        /// <param name="snippet">The snippet.</param>
        /// <returns>The errors, each with its line in the generated source; empty when it compiles.</returns>
        public static IReadOnlyList<string> Errors(MarkdownSnippet snippet)
        {
            string source = snippet.IsFragment ? FragmentSource(snippet) : snippet.Code;
            return Errors(source, snippet.IsFragment ? OutputKind.DynamicallyLinkedLibrary : OutputKind.ConsoleApplication);
        }

        /// <summary>Compiles C# source as a program or a library.</summary>
        /// <param name="source">The source.</param>
        /// <param name="kind">Console application (top-level statements) or library.</param>
        /// <returns>The errors (id, line, message).</returns>
        public static IReadOnlyList<string> Errors(string source, OutputKind kind)
        {
            var trees = new[]
            {
                CSharpSyntaxTree.ParseText(ImplicitUsings, Parse, "GlobalUsings.g.cs"),
                CSharpSyntaxTree.ParseText(source, Parse, "Snippet.cs"),
            };
            var compilation = CSharpCompilation.Create("Snippet" + Guid.NewGuid().ToString("N"), trees, References.Value,
                new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
            using var output = new MemoryStream();
            var result = compilation.Emit(output);
            return result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"{d.Id} at line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
                .ToList();
        }

        /// <summary>
        /// A fragment as a library: its base block's using directives and its own, a method whose parameters are the
        /// fragment's given variables and whose body is the fragment's statements, and the types both declare.
        /// </summary>
        private static string FragmentSource(MarkdownSnippet fragment)
        {
            var baseUnit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(fragment.Base!.Code, Parse).GetRoot();
            var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(fragment.Code, Parse).GetRoot();
            var source = new StringBuilder();
            foreach (var directive in baseUnit.Usings.Concat(unit.Usings).Select(u => u.ToString()).Distinct(StringComparer.Ordinal))
            {
                source.AppendLine(directive);
            }
            source.AppendLine("internal static class Fragment").AppendLine("{");
            source.Append("    internal static void Run(").Append(fragment.Given).AppendLine(")").AppendLine("    {");
            foreach (var statement in unit.Members.OfType<GlobalStatementSyntax>())
            {
                source.AppendLine(statement.ToFullString());
            }
            source.AppendLine("    }").AppendLine("}");
            foreach (var type in baseUnit.Members.Concat(unit.Members).OfType<BaseTypeDeclarationSyntax>())
            {
                source.AppendLine(type.ToFullString());
            }
            return source.ToString();
        }

        /// <summary>The assemblies the test process was started with (its deps.json): the framework, the library and
        /// its packages; without this test assembly and the CLI app, which a user does not reference.</summary>
        private static IReadOnlyList<MetadataReference> LoadReferences()
        {
            string[] excluded = { "Microsoft.ML.WeightInit.Tests", "Microsoft.ML.WeightInit.Examples" };
            string paths = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
                ?? throw new InvalidOperationException("The runtime lists no trusted platform assemblies to compile against.");
            return paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !excluded.Contains(Path.GetFileNameWithoutExtension(p)))
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToList();
        }
    }
}
