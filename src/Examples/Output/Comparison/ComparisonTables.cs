using System.Globalization;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>The comparison on the console: the article's loss and accuracy tables, Evaluate and status per
    /// initializer, and the statement on differences.</summary>
    public static class ComparisonTables
    {
        /// <summary>Writes everything to the console.</summary>
        public static void Write(ComparisonSummary summary)
        {
            if (System.Console.IsOutputRedirected)
            {
                // Logged output: widen the page so ten "0.0412 ± 0.0031" columns stay on one line each.
                AnsiConsole.Profile.Width = System.Math.Max(AnsiConsole.Profile.Width, NeededWidth(summary));
            }
            AnsiConsole.Write(Epochs(summary, summary.Loss, "Average loss (test NLL per image, nats)"));
            AnsiConsole.Write(Epochs(summary, summary.Accuracy, "Accuracy (test)"));
            AnsiConsole.Write(Final(summary));
            foreach (string line in summary.Statement())
            {
                AnsiConsole.MarkupLineInterpolated($"{line}");
            }
        }

        /// <summary>Epochs as rows, initializers as columns.</summary>
        public static Table Epochs(ComparisonSummary summary, SummaryTable table, string title)
        {
            var result = summary.Result;
            var spectre = new Table().Border(TableBorder.Rounded).Title(Title(summary, title)).AddColumn("Epoch");
            foreach (string column in table.Columns)
            {
                spectre.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
            }
            for (int e = 1; e <= table.Epochs; e++)
            {
                var cells = table.Columns.Select((column, i) => Markup.Escape(CellText.Of(table[e, i], result.RunsOf(column).Count)));
                spectre.AddRow(new[] { e.ToString(CultureInfo.InvariantCulture) }.Concat(cells).ToArray());
            }
            return spectre;
        }

        /// <summary>One row per initializer: how its runs ended and ML.NET's Evaluate after the last epoch.</summary>
        public static Table Final(ComparisonSummary summary)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Title(summary, "Final epoch: ML.NET Evaluate on the test set"))
                .AddColumn("Initializer").AddColumn("Runs")
                .AddColumn(new TableColumn("MicroAccuracy").RightAligned())
                .AddColumn(new TableColumn("MacroAccuracy").RightAligned())
                .AddColumn(new TableColumn("LogLoss").RightAligned())
                .AddColumn(new TableColumn(Markup.Escape($"Steps to loss ≤ {summary.Result.Options.LossThreshold.ToString(CultureInfo.InvariantCulture)}")).RightAligned());
            foreach (string i in summary.Result.Initializers)
            {
                int evaluated = summary.Result.RunsOf(i).Count(r => r.Evaluation is not null);
                table.AddRow(Markup.Escape(i), Markup.Escape(summary.StatusOf(i)),
                    Markup.Escape(CellText.Of(summary.MicroAccuracy[i], evaluated)),
                    Markup.Escape(CellText.Of(summary.MacroAccuracy[i], evaluated)),
                    Markup.Escape(CellText.Of(summary.LogLoss[i], evaluated)),
                    Markup.Escape(summary.StepsToLossText(i)));
            }
            return table;
        }

        private static int NeededWidth(ComparisonSummary summary)
        {
            var result = summary.Result;
            int width = "│ Epoch ".Length + 1;
            foreach (string column in result.Initializers)
            {
                int cell = Enumerable.Range(1, summary.Loss.Epochs)
                    .SelectMany(e => new[] { summary.Loss[e, column], summary.Accuracy[e, column] })
                    .Max(c => CellText.Of(c, result.RunsOf(column).Count).Length);
                width += System.Math.Max(cell, column.Length) + 3;
            }
            return width;
        }

        private static string Title(ComparisonSummary summary, string title)
        {
            int seeds = summary.Result.Options.Seeds.Count;
            string spread = seeds > 1 ? $", mean ± std over {seeds} seeds" : $", seed {summary.Result.Options.Seeds[0]}";
            string incomplete = summary.Result.IsComplete ? string.Empty : " — INCOMPLETE (cancelled)";
            return Markup.Escape(title + spread + incomplete);
        }
    }
}
