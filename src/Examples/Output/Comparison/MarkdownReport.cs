using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>The comparison as Markdown: protocol, the article's two tables, Evaluate per initializer, the statement
    /// on differences, and every run.</summary>
    public static class MarkdownReport
    {
        /// <summary>Writes the report.</summary>
        /// <param name="writer">Destination.</param>
        /// <param name="summary">The summarized comparison.</param>
        /// <param name="dataDescription">Where the data came from, in a few words.</param>
        public static void Write(TextWriter writer, ComparisonSummary summary, string dataDescription)
        {
            var c = CultureInfo.InvariantCulture;
            var r = summary.Result;
            var o = r.Options;
            writer.WriteLine("# Weight initializer comparison");
            writer.WriteLine();
            if (!r.IsComplete)
            {
                writer.WriteLine(string.Create(c, $"**INCOMPLETE: cancelled after {r.Runs.Count} of {r.PlannedRuns} runs.** The tables hold the finished runs only."));
                writer.WriteLine();
            }
            writer.WriteLine($"- Data: {dataDescription}; {r.TrainCount.ToString(c)} training images, {r.TestSet.Count.ToString(c)} test images.");
            writer.WriteLine($"- Architecture: {o.TrainerOptions.Architecture.TextForm}.");
            writer.WriteLine(string.Create(c,
                $"- Protocol: {o.TrainerOptions.NumberOfEpochs} epochs, batch {o.TrainerOptions.BatchSize}, SGD lr {o.TrainerOptions.LearningRate}, momentum {o.TrainerOptions.Momentum}; biases {o.BiasInitializer}{(o.PyTorchDefaultKeepsItsBias ? " (pytorch_default keeps its own bias reset)" : string.Empty)}."));
            writer.WriteLine($"- Seeds: {string.Join(", ", o.Seeds.Select(s => s.ToString(c)))}. Cells are {(o.Seeds.Count > 1 ? "mean ± sample standard deviation over seeds" : "single runs")}; \"(n=k)\" marks cells that fewer runs reached.");
            writer.WriteLine(string.Create(c, $"- Wall time: {r.Seconds:F0} s for {r.Runs.Count} runs."));
            writer.WriteLine();
            WriteEpochs(writer, summary, summary.Loss, "Average loss (test NLL per image, nats)");
            WriteEpochs(writer, summary, summary.Accuracy, "Accuracy (test)");

            writer.WriteLine("## Final epoch: ML.NET Evaluate on the test set");
            writer.WriteLine();
            writer.WriteLine(string.Create(c,
                $"\"Steps to loss ≤ {o.LossThreshold}\": SGD steps until the mean training loss of the last {o.LossWindow} batches first reached {o.LossThreshold} nats (mean ± std over the runs that reached it; (k/n) runs did; {r.TrainCount / o.TrainerOptions.BatchSize + (r.TrainCount % o.TrainerOptions.BatchSize == 0 ? 0 : 1)} steps per epoch)."));
            writer.WriteLine();
            writer.WriteLine($"| Initializer | Runs | MicroAccuracy | MacroAccuracy | LogLoss | Steps to loss ≤ {o.LossThreshold.ToString(c)} |");
            writer.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
            foreach (string i in r.Initializers)
            {
                int evaluated = r.RunsOf(i).Count(run => run.Evaluation is not null);
                writer.WriteLine($"| {Escape(i)} | {Escape(summary.StatusOf(i))} | {CellText.Of(summary.MicroAccuracy[i], evaluated)} | {CellText.Of(summary.MacroAccuracy[i], evaluated)} | {CellText.Of(summary.LogLoss[i], evaluated)} | {summary.StepsToLossText(i)} |");
            }
            writer.WriteLine();

            writer.WriteLine("## Differences larger than the seed-to-seed spread");
            writer.WriteLine();
            foreach (string line in summary.Statement())
            {
                writer.WriteLine($"- {line}");
            }
            writer.WriteLine();

            writer.WriteLine("## Runs");
            writer.WriteLine();
            writer.WriteLine("| Initializer | Weights | Biases | Seed | Status | Final loss | Final accuracy | Steps to loss | Seconds | Note |");
            writer.WriteLine("| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |");
            foreach (var run in r.Runs)
            {
                writer.WriteLine(string.Create(c,
                    $"| {Escape(run.Initializer)} | {Escape(run.WeightInitializer)} | {Escape(run.BiasInitializer)} | {run.Seed} | {run.Status.ToString().ToLowerInvariant()} | {run.FinalLoss:F4} | {run.FinalAccuracy:F4} | {(run.StepsToLoss is long s ? s.ToString(c) : "never")} | {run.Seconds:F1} | {Escape(run.Note ?? string.Empty)} |"));
            }
        }

        private static void WriteEpochs(TextWriter writer, ComparisonSummary summary, SummaryTable table, string title)
        {
            writer.WriteLine($"## {title}");
            writer.WriteLine();
            writer.WriteLine("| Epoch | " + string.Join(" | ", table.Columns.Select(Escape)) + " |");
            writer.WriteLine("| ---: | " + string.Join(" | ", table.Columns.Select(_ => "---:")) + " |");
            for (int e = 1; e <= table.Epochs; e++)
            {
                IEnumerable<string> cells = table.Columns.Select((column, i) => CellText.Of(table[e, i], summary.Result.RunsOf(column).Count));
                writer.WriteLine($"| {e.ToString(CultureInfo.InvariantCulture)} | " + string.Join(" | ", cells) + " |");
            }
            writer.WriteLine();
        }

        private static string Escape(string text) => text.Replace("|", "\\|", System.StringComparison.Ordinal);
    }
}
