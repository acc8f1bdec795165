using System.Collections.Generic;
using System.IO;
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

        /// <summary>Writes comparison.md, comparison.json, the three CSV files and comparison.png, each replaced
        /// atomically (a kill part-way leaves every earlier file whole).</summary>
        /// <param name="directory">Output directory (created if missing).</param>
        /// <param name="summary">The summarized comparison.</param>
        /// <param name="dataDescription">Where the data came from.</param>
        /// <returns>The paths written.</returns>
        public static IReadOnlyList<string> Write(string directory, ComparisonSummary summary, string dataDescription)
        {
            Directory.CreateDirectory(directory);
            string P(string name) => Path.Combine(directory, name);
            AtomicFile.WriteText(P(Markdown), writer => MarkdownReport.Write(writer, summary, dataDescription));
            JsonReport.Write(P(Json), summary, dataDescription);
            CsvReport.Write(P(EpochsCsv), CsvReport.Epochs(summary.Result));
            CsvReport.Write(P(SummaryCsv), CsvReport.Summary(summary));
            CsvReport.Write(P(RunsCsv), CsvReport.Runs(summary.Result));
            CurvePlot.Write(P(Png), summary);
            return new[] { P(Markdown), P(Json), P(EpochsCsv), P(SummaryCsv), P(RunsCsv), P(Png) };
        }
    }
}
