using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.IO;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>Writes every report file of a comparison into one directory.</summary>
    public static class ComparisonReportFiles
    {
        /// <summary>File names inside the output directory.</summary>
        public const string Markdown = "comparison.md", Json = "comparison.json", EpochsCsv = "comparison-epochs.csv",
            SummaryCsv = "comparison-summary.csv", RunsCsv = "comparison-runs.csv", Png = "comparison.png";

        /// <summary>The set's file names.</summary>
        public static IReadOnlyCollection<string> Names { get; } = new[] { Markdown, Json, EpochsCsv, SummaryCsv, RunsCsv, Png }
            .Concat(Signal.SignalReportFiles.Names).ToArray();

        /// <summary>Writes comparison.md, comparison.json, the three CSV files and comparison.png as one set
        /// (<see cref="ReportDirectory.Replace"/>: a kill part-way leaves the previous set whole, never a mix).</summary>
        /// <param name="directory">Output directory (created if missing).</param>
        /// <param name="summary">The summarized comparison.</param>
        /// <param name="dataDescription">Where the data came from.</param>
        /// <returns>The paths written.</returns>
        /// <param name="signal">Signal propagation at initialization to write beside (signal.md, signal.csv,
        /// signal.png), or null.</param>
        public static IReadOnlyList<string> Write(string directory, ComparisonSummary summary, string dataDescription,
            Signal.SignalComparison? signal = null)
        {
            ReportDirectory.Replace(directory, Names, staging =>
            {
                string S(string name) => Path.Combine(staging, name);
                AtomicFile.WriteText(S(Markdown), writer => MarkdownReport.Write(writer, summary, dataDescription));
                JsonReport.Write(S(Json), summary, dataDescription);
                CsvReport.Write(S(EpochsCsv), CsvReport.Epochs(summary.Result));
                CsvReport.Write(S(SummaryCsv), CsvReport.Summary(summary));
                CsvReport.Write(S(RunsCsv), CsvReport.Runs(summary.Result));
                CurvePlot.Write(S(Png), summary);
                if (signal is not null)
                {
                    Signal.SignalReportFiles.WriteInto(staging, signal);
                }
            });
            return Names.Where(name => signal is not null || !Signal.SignalReportFiles.Names.Contains(name))
                .Select(name => Path.Combine(directory, name)).ToList();
        }
    }
}
