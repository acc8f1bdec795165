using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CsvHelper;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.IO;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>
    /// The comparison as CSV (RFC 4180, invariant culture, doubles round-trip, empty = not available), written with
    /// CsvHelper: one row per (run, epoch), one row per (initializer, epoch) of the summary, one row per run.
    /// </summary>
    public static partial class CsvReport
    {
        /// <summary>A run's epoch.</summary>
        [CsvRecord]
        public sealed partial record EpochRow(string Initializer, string WeightInitializer, string BiasInitializer, long Seed, string Status,
            int Epoch, double AverageLoss, double Accuracy, double TrainingLoss, double Seconds, double ImagesPerSecond, int NumberOfThreads);

        /// <summary>A summary cell pair (loss and accuracy) of one initializer and epoch.</summary>
        [CsvRecord]
        public sealed partial record SummaryRow(string Initializer, int Epoch, double? LossMean, double? LossStd, double? AccuracyMean,
            double? AccuracyStd, int Runs);

        /// <summary>A run's outcome.</summary>
        [CsvRecord]
        public sealed partial record RunRow(string Initializer, string WeightInitializer, string BiasInitializer, long Seed, string Status,
            int CompletedEpochs, int? DivergedEpoch, int? DivergedStep, string? DivergedParameter, double? FinalLoss, double? FinalAccuracy,
            double? MicroAccuracy, double? MacroAccuracy, double? LogLoss, double Seconds, string? Note, long? StepsToLoss = null);

        /// <summary>Rows of every run's epochs.</summary>
        public static IEnumerable<EpochRow> Epochs(ComparisonResult result) =>
            result.Runs.SelectMany(r => r.History.Select(h => new EpochRow(r.Initializer, r.WeightInitializer, r.BiasInitializer, r.Seed,
                Status(r), h.Epoch, h.ValidationLoss, h.ValidationAccuracy, h.TrainingLoss, h.Seconds, h.ImagesPerSecond, h.NumberOfThreads)));

        /// <summary>Rows of the summary tables.</summary>
        public static IEnumerable<SummaryRow> Summary(ComparisonSummary summary) =>
            from i in summary.Result.Initializers
            from e in Enumerable.Range(1, summary.Loss.Epochs)
            let loss = summary.Loss[e, i]
            let accuracy = summary.Accuracy[e, i]
            select new SummaryRow(i, e, OrNull(loss.Mean), OrNull(loss.Std), OrNull(accuracy.Mean), OrNull(accuracy.Std), loss.N);

        /// <summary>Rows of the runs.</summary>
        public static IEnumerable<RunRow> Runs(ComparisonResult result) =>
            result.Runs.Select(r => new RunRow(r.Initializer, r.WeightInitializer, r.BiasInitializer, r.Seed, Status(r), r.History.Count,
                r.Divergence?.Epoch, r.Divergence?.Step, r.Divergence?.Parameter, OrNull(r.FinalLoss), OrNull(r.FinalAccuracy),
                r.Evaluation?.MicroAccuracy, r.Evaluation?.MacroAccuracy, r.Evaluation?.LogLoss, r.Seconds, r.Note, r.StepsToLoss));

        /// <summary>Writes rows to a file with a header, replacing it atomically.</summary>
        public static void Write<T>(string path, IEnumerable<T> rows) => AtomicFile.WriteText(path, writer =>
        {
            using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture });
            csv.WriteRecords(rows);
        });

        /// <summary>Reads rows written by <see cref="Write{T}"/>.</summary>
        public static List<T> Read<T>(string path)
        {
            using var reader = new StreamReader(path);
            using var csv = CsvReader.Create(reader, new CsvReaderOptions { FormatProvider = CultureInfo.InvariantCulture });
            return csv.GetRecords<T>().ToList();
        }

        private static string Status(RunResult run) => run.Status.ToString().ToLowerInvariant();

        private static double? OrNull(double value) => double.IsFinite(value) ? value : null;
    }
}
