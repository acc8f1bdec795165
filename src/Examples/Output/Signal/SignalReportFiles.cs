using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.IO;

namespace Microsoft.ML.WeightInit.Examples.Output.Signal
{
    /// <summary>The files of a signal-propagation measurement: <c>signal.md</c>, <c>signal.csv</c>, <c>signal.png</c>.</summary>
    public static class SignalReportFiles
    {
        /// <summary>File names.</summary>
        public const string Markdown = "signal.md", Csv = "signal.csv", Png = "signal.png";

        /// <summary>The set's file names.</summary>
        public static IReadOnlyCollection<string> Names { get; } = new[] { Markdown, Csv, Png };

        /// <summary>Writes the three files into <paramref name="directory"/> (each atomically).</summary>
        /// <param name="directory">An existing directory (e.g. a staging directory).</param>
        /// <param name="comparison">The measurements.</param>
        /// <param name="heading">Markdown heading prefix.</param>
        public static void WriteInto(string directory, SignalComparison comparison, string heading = "#")
        {
            AtomicFile.WriteText(Path.Combine(directory, Markdown), writer => SignalMarkdown.Write(writer, comparison, heading));
            AtomicFile.WriteText(Path.Combine(directory, Csv), writer => writer.Write(SignalMarkdown.Csv(comparison)));
            SignalPlot.Write(Path.Combine(directory, Png), comparison);
        }

        /// <summary>Replaces <paramref name="directory"/> with the set (see <see cref="Comparison.ReportDirectory"/>).</summary>
        /// <param name="directory">The output directory.</param>
        /// <param name="comparison">The measurements.</param>
        /// <returns>The paths written.</returns>
        public static IReadOnlyList<string> Write(string directory, SignalComparison comparison)
        {
            Comparison.ReportDirectory.Replace(directory, Names, staging => WriteInto(staging, comparison));
            return Names.Select(n => Path.Combine(directory, n)).ToList();
        }
    }
}
