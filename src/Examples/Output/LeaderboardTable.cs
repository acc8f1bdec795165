using System.Globalization;
using Microsoft.ML.WeightInit.Sweeps;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>A sweep's leaderboard as a table: rank, candidate (architecture, initializers, SGD settings), metric
    /// mean ± std, status, cost.</summary>
    public static class LeaderboardTable
    {
        /// <summary>Builds the table.</summary>
        public static Table Create(Leaderboard leaderboard, string title)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(title)
                .AddColumn(new TableColumn("#").RightAligned()).AddColumn("Architecture").AddColumn("Weight").AddColumn("Bias")
                .AddColumn(new TableColumn("LR").RightAligned()).AddColumn(new TableColumn("Mom.").RightAligned())
                .AddColumn(new TableColumn("Epochs").RightAligned()).AddColumn(new TableColumn($"{leaderboard.Metric} (mean ± std)").RightAligned())
                .AddColumn(new TableColumn("LogLoss").RightAligned()).AddColumn(new TableColumn("Trials").RightAligned())
                .AddColumn("Status").AddColumn(new TableColumn("Seconds").RightAligned());
            foreach (var r in leaderboard.Rows)
            {
                string status = r.Status switch
                {
                    CandidateStatus.Diverged => $"[red]diverged ({r.Diverged})[/]",
                    CandidateStatus.Failed => $"[red]failed ({r.Failed})[/]",
                    CandidateStatus.Incomplete => "[yellow]incomplete[/]",
                    _ => r.Rung > 0 || r.Epochs < r.Candidate.NumberOfEpochs ? $"rung {r.Rung}" : "completed",
                };
                table.AddRow(
                    r.Rank.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(r.Candidate.Architecture),
                    Markup.Escape(r.Candidate.Weight),
                    Markup.Escape(r.Candidate.Bias),
                    r.Candidate.LearningRate.ToString("G4", CultureInfo.InvariantCulture),
                    r.Candidate.Momentum.ToString("G4", CultureInfo.InvariantCulture),
                    r.Epochs.ToString(CultureInfo.InvariantCulture),
                    r.Metric.ToString(),
                    r.LogLoss.N == 0 ? "—" : r.LogLoss.Mean.ToString("F4", CultureInfo.InvariantCulture),
                    r.Trials.ToString(CultureInfo.InvariantCulture),
                    status,
                    r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
            }
            return table;
        }
    }
}
