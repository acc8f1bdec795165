using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.PerformanceTests.Benchmarks;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// The scaling figures (issue 19, item 3): InitCnn fit time per image at 6k, 15k, 30k and 60k rows, the training
    /// step at 1 vs 2 threads with the kernels InitCnn selects, and the resident memory of a 5-epoch fit.
    /// </summary>
    public static class Scaling
    {
        /// <summary>Runs the measurements; returns (measure, value, target) rows.</summary>
        public static IReadOnlyList<(string Measure, string Value, string Target)> Run(int iterations)
        {
            var rows = new List<(string, string, string)>();
            var sizes = BenchmarkRunner.Run<SizeBenchmarks>(BenchmarkConfigs.Long(Math.Max(2, iterations - 1)));
            var perImage = new[] { 6_000, 15_000, 30_000, 60_000 }
                .Select(n => (n, us: Seconds(sizes, r => (int)r.Parameters["Rows"] == n) / n * 1e6)).ToList();
            rows.Add(("Fit time per image vs training-set size (6k, 15k, 30k, 60k)",
                string.Join(", ", perImage.Select(s => F($"{s.us:F0} µs"))) + F($" (largest / smallest {perImage.Max(s => s.us) / perImage.Min(s => s.us):F2})"), "flat = linear"));

            if (ConvolutionPathSelector.Current.UsesFusedConv1)
            {
                var fused = BenchmarkRunner.Run<FusedStepBenchmarks>(BenchmarkConfigs.Long(iterations));
                double two = StepBenchmarks.Steps * 64 / Seconds(fused, r => (int)r.Parameters["Threads"] == 2);
                double one = StepBenchmarks.Steps * 64 / Seconds(fused, r => (int)r.Parameters["Threads"] == 1);
                rows.Add(($"Training steps with the selected kernels (fused conv1+ReLU+pool, conv2 {ConvolutionPathSelector.Current.Path}, at 2 threads each batch split in 2): images/s at 2 threads (1 thread)",
                    F($"{two:F0} ({one:F0}), speed-up {two / one:F2}"), ""));
            }

            var (epochRss, epochManaged, peak) = Probes.FitMemory(PerfData.Directory);
            rows.Add(("Peak RSS of a 5-epoch full-MNIST fit (child process)", F($"{peak:F0} MB"), "≤ 1 GB"));
            rows.Add(("RSS at the end of epochs 1..5", string.Join(", ", epochRss.Select(r => F($"{r:F0}"))) + " MB", "flat"));
            rows.Add(("Managed heap at the end of epochs 1..5", string.Join(", ", epochManaged.Select(r => F($"{r:F0}"))) + " MB", "flat"));
            return rows;
        }

        /// <summary>Mean seconds per invocation of the one report matching <paramref name="select"/>.</summary>
        internal static double Seconds(Summary summary, Func<BenchmarkCase, bool> select)
        {
            var report = summary.Reports.Single(r => select(r.BenchmarkCase));
            return report.ResultStatistics?.Mean / 1e9
                ?? throw new InvalidOperationException($"Benchmark {report.BenchmarkCase.DisplayInfo} produced no result.");
        }

        private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
