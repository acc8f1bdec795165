using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using CsvHelper;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>Writes a leaderboard as CSV (CsvHelper; one row per candidate, invariant culture) or JSON
    /// (<see cref="SweepJson"/>).</summary>
    public static class LeaderboardExport
    {
        /// <summary>Writes the CSV: rank, status, candidate (architecture, weight, bias, lr, momentum, epochs), rung, trials, diverged,
        /// failed, mean and standard deviation of the metric and of each ML.NET metric, epochs trained, seconds.</summary>
        /// <param name="leaderboard">The leaderboard.</param>
        /// <param name="writer">Where to write.</param>
        public static void WriteCsv(Leaderboard leaderboard, TextWriter writer)
        {
            ArgumentNullException.ThrowIfNull(leaderboard);
            ArgumentNullException.ThrowIfNull(writer);
            using var csv = CsvWriter.Create(writer, CsvWriterOptions.Default, leaveOpen: true);
            csv.WriteHeader(Header);
            foreach (var r in leaderboard.Rows)
            {
                csv.WriteField(r.Rank, default);
                csv.WriteField(r.Status.ToString());
                csv.WriteField(r.Candidate.Architecture);
                csv.WriteField(r.Candidate.Weight);
                csv.WriteField(r.Candidate.Bias);
                csv.WriteField(r.Candidate.LearningRate, "R");
                csv.WriteField(r.Candidate.Momentum, "R");
                csv.WriteField(r.Epochs, default);
                csv.WriteField(r.Rung, default);
                csv.WriteField(r.Trials, default);
                csv.WriteField(r.Diverged, default);
                csv.WriteField(r.Failed, default);
                csv.WriteField(leaderboard.Metric.ToString());
                foreach (var m in new[] { r.Metric, r.MicroAccuracy, r.MacroAccuracy, r.LogLoss })
                {
                    csv.WriteField(m.Mean, "R");
                    csv.WriteField(m.Std, "R");
                }
                csv.WriteField(r.EpochsTrained, default);
                csv.WriteField(r.Seconds, "F3");
                csv.WriteField(r.BestTrialId);
                csv.EndRecord();
            }
        }

        /// <summary>Writes the CSV to a file (replaced atomically).</summary>
        /// <param name="leaderboard">The leaderboard.</param>
        /// <param name="path">The file.</param>
        public static void SaveCsv(Leaderboard leaderboard, string path) => Save(path, w => WriteCsv(leaderboard, w));

        /// <summary>Writes the leaderboard as indented JSON (<c>metric</c> and <c>rows</c>).</summary>
        /// <param name="leaderboard">The leaderboard.</param>
        /// <param name="writer">Where to write.</param>
        public static void WriteJson(Leaderboard leaderboard, TextWriter writer)
        {
            ArgumentNullException.ThrowIfNull(leaderboard);
            ArgumentNullException.ThrowIfNull(writer);
            writer.Write(JsonSerializer.Serialize(leaderboard, SweepJson.IndentedOptions));
            writer.WriteLine();
        }

        /// <summary>Writes the JSON to a file (replaced atomically).</summary>
        /// <param name="leaderboard">The leaderboard.</param>
        /// <param name="path">The file.</param>
        public static void SaveJson(Leaderboard leaderboard, string path) => Save(path, w => WriteJson(leaderboard, w));

        private static void Save(string path, Action<TextWriter> write)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            IO.AtomicFile.WriteText(path, write);
        }

        private static readonly string[] Header =
        {
            "Rank", "Status", "Architecture", "Weight", "Bias", "LearningRate", "Momentum", "Epochs", "Rung", "Trials", "Diverged", "Failed",
            "Metric", "MetricMean", "MetricStd", "MicroAccuracyMean", "MicroAccuracyStd", "MacroAccuracyMean", "MacroAccuracyStd",
            "LogLossMean", "LogLossStd", "EpochsTrained", "Seconds", "BestTrialId",
        };
    }
}
