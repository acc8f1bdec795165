using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.IO;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>
    /// The comparison as JSON (System.Text.Json, camelCase): options, test-set floors, every run with its epochs,
    /// the summary cells per metric, the pairwise tests and the statement. Numbers are full precision; a value that is
    /// not available or not finite is <c>null</c>.
    /// </summary>
    public static class JsonReport
    {
        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };

        /// <summary>The document.</summary>
        public sealed record Document(bool Complete, int PlannedRuns, int FinishedRuns, double Seconds, string Data,
            OptionsDto Options, TestSetDto TestSet, IReadOnlyList<RunDto> Runs,
            IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, CellDto>>> Tables,
            IReadOnlyList<DifferenceDto> Differences, IReadOnlyList<string> Statement);

        /// <summary>The options that matter to a reader.</summary>
        public sealed record OptionsDto(IReadOnlyList<string> Initializers, IReadOnlyList<long> Seeds, int Epochs, int BatchSize,
            double LearningRate, double Momentum, string BiasInitializer, bool PyTorchDefaultKeepsItsBias,
            double StuckAccuracyMargin, double StuckLossMargin, string Architecture = "mnist_net", double LossThreshold = 0.5, int LossWindow = 50);

        /// <summary>The test set's no-learning floors.</summary>
        public sealed record TestSetDto(long Count, double MajorityShare, double PriorCrossEntropy);

        /// <summary>One run.</summary>
        public sealed record RunDto(string Initializer, string WeightInitializer, string BiasInitializer, long Seed, string Status,
            int? DivergedEpoch, int? DivergedStep, string? DivergedParameter, double? MicroAccuracy, double? MacroAccuracy, double? LogLoss,
            double Seconds, string? Note, IReadOnlyList<EpochDto> Epochs, long? StepsToLoss = null);

        /// <summary>One epoch of a run.</summary>
        public sealed record EpochDto(int Epoch, double? AverageLoss, double? Accuracy, double? TrainingLoss, double Seconds, double ImagesPerSecond, int NumberOfThreads);

        /// <summary>A summary cell.</summary>
        public sealed record CellDto(double? Mean, double? Std, int N);

        /// <summary>A pairwise test.</summary>
        public sealed record DifferenceDto(string Metric, string A, string B, double? T, double? DegreesOfFreedom, double P,
            double AdjustedP, bool Significant);

        /// <summary>Builds the document.</summary>
        public static Document Create(ComparisonSummary summary, string dataDescription)
        {
            var r = summary.Result;
            var o = r.Options;
            return new Document(r.IsComplete, r.PlannedRuns, r.Runs.Count, r.Seconds, dataDescription,
                new OptionsDto(r.Initializers, o.Seeds, o.TrainerOptions.NumberOfEpochs, o.TrainerOptions.BatchSize, o.TrainerOptions.LearningRate, o.TrainerOptions.Momentum, o.BiasInitializer,
                    o.PyTorchDefaultKeepsItsBias, o.LearningCriterion.AccuracyMargin, o.LearningCriterion.LossMargin,
                    o.TrainerOptions.Architecture.TextForm, o.LossThreshold, o.LossWindow),
                new TestSetDto(r.TestSet.Count, r.TestSet.MajorityShare, r.TestSet.PriorCrossEntropy),
                r.Runs.Select(run => new RunDto(run.Initializer, run.WeightInitializer, run.BiasInitializer, run.Seed,
                    run.Status.ToString().ToLowerInvariant(), run.Divergence?.Epoch, run.Divergence?.Step, run.Divergence?.Parameter,
                    run.Evaluation?.MicroAccuracy, run.Evaluation?.MacroAccuracy, run.Evaluation?.LogLoss, run.Seconds, run.Note,
                    run.History.Select(h => new EpochDto(h.Epoch, OrNull(h.ValidationLoss), OrNull(h.ValidationAccuracy),
                        OrNull(h.TrainingLoss), h.Seconds, h.ImagesPerSecond, h.NumberOfThreads)).ToList(), run.StepsToLoss)).ToList(),
                new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, CellDto>>>
                {
                    ["averageLoss"] = Rows(summary.Loss),
                    ["accuracy"] = Rows(summary.Accuracy),
                },
                summary.Differences.Select(d => new DifferenceDto(d.Metric, d.A, d.B, OrNull(d.Test.T), OrNull(d.Test.DegreesOfFreedom),
                    d.Test.P, d.AdjustedP, d.Significant)).ToList(),
                summary.Statement());
        }

        /// <summary>Writes the document to a file, replacing it atomically.</summary>
        public static void Write(string path, ComparisonSummary summary, string dataDescription) =>
            AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, Create(summary, dataDescription), Options));

        /// <summary>Reads a document written by <see cref="Write"/>.</summary>
        public static Document? Read(string path)
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Document>(stream, Options);
        }

        /// <summary>Epoch rows (index 0 = epoch 1) of initializer → cell.</summary>
        private static List<IReadOnlyDictionary<string, CellDto>> Rows(SummaryTable table) =>
            Enumerable.Range(1, table.Epochs).Select(e => (IReadOnlyDictionary<string, CellDto>)table.Columns
                .Select((column, i) => (column, cell: table[e, i]))
                .ToDictionary(x => x.column, x => new CellDto(OrNull(x.cell.Mean), OrNull(x.cell.Std), x.cell.N))).ToList();

        private static double? OrNull(double value) => double.IsFinite(value) ? value : null;
    }
}
