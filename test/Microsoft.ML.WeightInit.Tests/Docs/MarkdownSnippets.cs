using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Microsoft.ML.WeightInit.Tests.Docs
{
    /// <summary>
    /// The ```csharp blocks of a Markdown file, in order. Other blocks (bash, xml, text) are not C# and are left out.
    /// A block is a complete program (top-level statements, as a new console app's <c>Program.cs</c>) unless the
    /// HTML comment right above its fence marks it as a fragment:
    /// <c>&lt;!-- snippet: fragment(MLContext mlContext, string imageFolder) --&gt;</c> continues the nearest complete
    /// block before it (its using directives and types are in scope) with the given variables.
    /// </summary>
    internal sealed record MarkdownSnippet(string File, int Line, string Code, bool IsFragment, string Given, MarkdownSnippet? Base)
    {
        private static readonly Regex Marker = new(@"^<!--\s*snippet:\s*fragment(?:\((?<given>[^)]*)\))?\s*-->$", RegexOptions.CultureInvariant);

        /// <summary>The test's name for it: file and line of the fence.</summary>
        public override string ToString() => $"{File}:{Line}";

        /// <summary>Reads every C# block of a Markdown file.</summary>
        /// <param name="path">The file.</param>
        /// <param name="display">Its name in test output (relative to the repository).</param>
        /// <returns>The blocks, in order.</returns>
        public static IReadOnlyList<MarkdownSnippet> Read(string path, string display)
        {
            var lines = System.IO.File.ReadAllLines(path);
            var snippets = new List<MarkdownSnippet>();
            MarkdownSnippet? lastComplete = null;
            for (int i = 0; i < lines.Length; i++)
            {
                string fence = lines[i].Trim();
                if (!fence.StartsWith("```", StringComparison.Ordinal))
                {
                    continue;
                }
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
                if (end < 0)
                {
                    throw new InvalidDataException($"{display}:{i + 1}: a code block is not closed.");
                }
                string language = fence[3..].Trim();
                if (language is "csharp" or "cs" or "c#")
                {
                    string code = string.Join("\n", lines[(i + 1)..end]);
                    var marker = PreviousNonBlank(lines, i) is { } above ? Marker.Match(above.Trim()) : Match.Empty;
                    if (marker.Success)
                    {
                        var snippet = new MarkdownSnippet(display, i + 1, code, true, marker.Groups["given"].Value,
                            lastComplete ?? throw new InvalidDataException($"{display}:{i + 1}: a fragment needs a complete C# block before it."));
                        snippets.Add(snippet);
                    }
                    else
                    {
                        lastComplete = new MarkdownSnippet(display, i + 1, code, false, string.Empty, null);
                        snippets.Add(lastComplete);
                    }
                }
                i = end;
            }
            return snippets;
        }

        private static string? PreviousNonBlank(string[] lines, int index)
        {
            for (int j = index - 1; j >= 0; j--)
            {
                if (lines[j].Trim().Length > 0)
                {
                    return lines[j];
                }
            }
            return null;
        }
    }
}
