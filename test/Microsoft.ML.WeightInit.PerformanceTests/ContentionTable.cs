using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// Formats eng/perf.sh's contention measurements as Markdown: one row per foreign load (idle, 1 and 2 busy
    /// threads), medians over the interleaved repetitions, and the headline ratio of the default to the best fixed
    /// thread count.
    /// </summary>
    public static class ContentionTable
    {
        /// <summary>Configurations in the order of the columns: the default, pinned counts, the default with libgomp's
        /// own spin-wait (what ran before the passive wait policy), and 2 threads on one graph per batch (what ran before
        /// the batch was split across threads).</summary>
        public static readonly string[] Configurations = { "default", "threads-1", "threads-2", "spin-default", "one-graph-2" };

        /// <summary>Reads lines <c>load configuration training-images/s scoring-images/s threads</c> and formats them.</summary>
        /// <exception cref="InvalidDataException">A line has not 5 fields, or a load lacks a configuration.</exception>
        public static string Format(string rawPath)
        {
            var rows = File.ReadLines(rawPath).Where(l => l.Trim().Length > 0).Select(Parse).ToList();
            var loads = rows.Select(r => r.Load).Distinct().OrderBy(l => l).ToList();
            var sb = new StringBuilder();
            int reps = rows.GroupBy(r => (r.Load, r.Config)).Max(g => g.Count());
            sb.AppendLine(F($"Contention ({Environment.ProcessorCount} cores; medians of {reps} interleaved runs per cell, training images/s on the bundled sample; foreign load = `sh` busy loops started by eng/perf.sh):"));
            sb.AppendLine();
            sb.AppendLine("| Foreign busy threads | Default (threads that ran) | --threads 1 | --threads 2 | Default / best fixed | Before: libgomp spin-wait default | Before: --threads 2, one graph per batch | Scoring: default / best fixed |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            var ratios = new List<(int Load, double Train, double Score)>();
            foreach (int load in loads)
            {
                Cell Get(string config) => Median(rows.Where(r => r.Load == load && r.Config == config).ToList(), load, config);
                var d = Get("default");
                var one = Get("threads-1");
                var two = Get("threads-2");
                var spin = rows.Any(r => r.Load == load && r.Config == "spin-default") ? Get("spin-default") : null;
                var oneGraph = rows.Any(r => r.Load == load && r.Config == "one-graph-2") ? Get("one-graph-2") : null;
                double ratio = d.Train / Math.Max(one.Train, two.Train);
                double scoreRatio = d.Score / Math.Max(one.Score, two.Score);
                ratios.Add((load, ratio, scoreRatio));
                sb.AppendLine(F($"| {(load == 0 ? "0 (idle)" : load.ToString(CultureInfo.InvariantCulture))} | {d.Train:F0} ({d.Threads}) | {one.Train:F0} | {two.Train:F0} | {ratio:F2} | {(spin is null ? "—" : F($"{spin.Train:F0} ({spin.Train / d.Train:F2} of default)"))} | {(oneGraph is null ? "—" : F($"{oneGraph.Train:F0} ({oneGraph.Train / d.Train:F2} of default)"))} | {scoreRatio:F2} |"));
            }
            sb.AppendLine();
            sb.AppendLine("| Measure | Value | Target |");
            sb.AppendLine("| --- | --- | --- |");
            var worst = ratios.MinBy(r => r.Train);
            sb.AppendLine(F($"| Default thread use under load / best fixed thread count | {worst.Train:F2} (lowest; {string.Join(", ", ratios.Select(r => F($"{r.Load} busy: {r.Train:F2}")))}) | ≥ 0.8 in every row |"));
            var worstScore = ratios.MinBy(r => r.Score);
            sb.AppendLine(F($"| Scoring: default / best fixed thread count | {worstScore.Score:F2} (lowest; {string.Join(", ", ratios.Select(r => F($"{r.Load} busy: {r.Score:F2}")))}) | ≥ 0.8 in every row |"));
            return sb.ToString();
        }

        private static Row Parse(string line)
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 5)
            {
                throw new InvalidDataException($"Contention line '{line}': expected 'load configuration train/s score/s threads'.");
            }
            var c = CultureInfo.InvariantCulture;
            return new Row(int.Parse(f[0], c), f[1], double.Parse(f[2], c), double.Parse(f[3], c), int.Parse(f[4], c));
        }

        private static Cell Median(List<Row> runs, int load, string config)
        {
            if (runs.Count == 0)
            {
                throw new InvalidDataException($"No '{config}' measurement at {load} foreign busy threads.");
            }
            static double Mid(IEnumerable<double> v)
            {
                var s = v.OrderBy(x => x).ToArray();
                return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
            }
            var threads = string.Join("/", runs.Select(r => r.Threads).Distinct().OrderBy(t => t));
            return new Cell(Mid(runs.Select(r => r.Train)), Mid(runs.Select(r => r.Score)), threads);
        }

        private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        private sealed record Row(int Load, string Config, double Train, double Score, int Threads);

        private sealed record Cell(double Train, double Score, string Threads);
    }
}
