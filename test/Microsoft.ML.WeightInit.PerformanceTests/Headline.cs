using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.PerformanceTests.Benchmarks;
using TorchSharp;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>Runs the headline measurements in one process and formats them as one Markdown table.</summary>
    public static class Headline
    {

        /// <summary>Runs everything; returns the Markdown report.</summary>
        public static string Run(int iterations)
        {
            var started = DateTime.UtcNow;
            var path = ConvolutionPathSelector.Current.Path;
            long rows = PerfData.TrainTensors.Count;
            var rowsOut = new List<(string Measure, string Value, string Target)>();
            void Add(string measure, string value, string target = "") => rowsOut.Add((measure, value, target));

            var gemm = BenchmarkRunner.Run<GemmBenchmark>(BenchmarkConfigs.Short());
            double gemmGflops = GemmBenchmark.Flops / Seconds(gemm, r => true) / 1e9;

            var epochs = BenchmarkRunner.Run<EpochBenchmarks>(BenchmarkConfigs.Long(iterations + 2));
            double bare = Seconds(epochs, r => r.Descriptor.WorkloadMethod.Name == nameof(EpochBenchmarks.BareTorchSharpEpochSplit));
            double bareOneGraph = Seconds(epochs, r => r.Descriptor.WorkloadMethod.Name == nameof(EpochBenchmarks.BareTorchSharpEpoch));
            double bareLibtorch = Seconds(epochs, r => r.Descriptor.WorkloadMethod.Name == nameof(EpochBenchmarks.BareTorchSharpEpochLibtorchConv1));
            double fit = Seconds(epochs, r => r.Descriptor.WorkloadMethod.Name == nameof(EpochBenchmarks.InitCnnFitEpoch));
            double imagesPerSecond = rows / fit;
            double flops = NetFlops.Training(ImageShape.Mnist) * rows;
            double Share(double seconds) => flops / seconds / 1e9 / gemmGflops;
            string conv1 = ConvolutionPathSelector.Current.UsesFusedConv1 ? "fused conv1+ReLU+pool kernel" : "conv1 by libtorch: the fused kernel failed its check";
            int threads = torch.get_num_threads();
            Add("Overhead of ML.NET: InitCnn Fit epoch / bare TorchSharp epoch doing the same work", F($"{fit / bare:F3} ({fit:F2} s / {bare:F2} s; BenchmarkDotNet ratio SD {RatioSd(epochs):F2})"), "≤ 1.05");
            Add("Training throughput (InitCnn, full epoch incl. data loading)", F($"{imagesPerSecond:F0} images/s = {Share(fit):F2} of GEMM"), "≥ 3,500");
            Add("Bare loop throughput", F($"{rows / bare:F0} images/s"));
            Add("float32 GEMM rate (2048², libtorch)", F($"{gemmGflops:F1} GFLOP/s"));
            Add(F($"Net forward+backward rate (bare loop, each batch split into {threads * BareLoop.LibraryPartsPerThread} parts taken by {threads} threads, 1 libtorch thread each)"), F($"{flops / bare / 1e9:F1} GFLOP/s = {Share(bare):F2} of GEMM ({conv1})"), "≥ 0.5 of GEMM");
            Add(F($"Net forward+backward rate, one graph per batch on {threads} libtorch threads (before the split)"), F($"{flops / bareOneGraph / 1e9:F1} GFLOP/s = {Share(bareOneGraph):F2} of GEMM ({rows / bareOneGraph:F0} images/s); split / one-graph epoch time {bare / bareOneGraph:F3}"));
            Add("Net forward+backward rate, one graph, conv1 + ReLU + pool by libtorch (before issue 19)", F($"{flops / bareLibtorch / 1e9:F1} GFLOP/s = {Share(bareLibtorch):F2} of GEMM ({rows / bareLibtorch:F0} images/s); fused / libtorch epoch time {bareOneGraph / bareLibtorch:F3}"));

            Add("Per-layer forward+backward at batch 64 (alone)", string.Join("; ", Probes.LayerRates()
                .Select(l => F($"{l.Layer}: {l.Milliseconds:F2} ms, {l.Gflops:F0} GFLOP/s"))));

            var (loadSeconds, bytesPerRow, cursorBytesPerRow) = Probes.LoadTensors();
            double gather = Probes.GatherEpochSeconds();
            var (fitOnce, epochLoop) = Probes.FitBreakdown();
            double outside = fitOnce - epochLoop + gather;
            Add("IDataView → tensors (60,000 rows, MNIST view + MapValueToKey)", F($"{loadSeconds:F2} s; {bytesPerRow:F1} managed bytes allocated per row, of which {cursorBytesPerRow:F1} by ML.NET's cursor alone"), "no allocation per row in our code");
            Add("Time per epoch outside the net: Fit − its SGD loop (setup, loading, ML.NET) + batch gathering", F($"{outside:F2} s = {100 * outside / fitOnce:F1}% of a {fitOnce:F2} s one-epoch Fit"), "≤ 5%");

            var steps = BenchmarkRunner.Run<StepBenchmarks>(BenchmarkConfigs.Long(iterations));
            foreach (var p in new[] { ConvolutionPath.ChannelsLast, ConvolutionPath.Native, ConvolutionPath.Im2Col })
            {
                double two = StepRate(steps, p, 2), one = StepRate(steps, p, 1);
                Add($"Conv path {p}: images/s at 2 threads (1 thread)", F($"{two:F0} ({one:F0}), speed-up {two / one:F2}"));
            }
            Add("Conv path in use (verified against float64)", ConvolutionPathSelector.Current.ToString());

            var inference = BenchmarkRunner.Run<InferenceBenchmarks>(BenchmarkConfigs.Long(iterations));
            Add("Transform + Evaluate, 10,000 test images", F($"{Seconds(inference, r => true):F2} s"));
            var probe = new InferenceBenchmarks();
            probe.Setup();
            var (median, p99) = Probes.PredictionLatency(probe.Model);
            probe.Cleanup();
            Add("PredictionEngine single-image latency", F($"median {median:F3} ms, p99 {p99:F3} ms"));

            foreach (var (measure, value, target) in Scaling.Run(iterations))
            {
                Add(measure, value, target);
            }

            var ops = OpProfile.Format(OpProfile.Run());
            if (threads > 1)
            {
                // What a worker does when the batch is split: a part of 64 / (threads × parts per thread) images on 1 libtorch thread.
                torch.set_num_threads(1);
                try
                {
                    ops += OpProfile.Format(OpProfile.Run(batchSize: 64 / (threads * BareLoop.LibraryPartsPerThread)));
                }
                finally
                {
                    torch.set_num_threads(threads);
                }
            }

            var sb = new StringBuilder();
            sb.AppendLine(F($"Performance, {DateTime.UtcNow:yyyy-MM-dd}: {Environment.ProcessorCount} cores, libtorch {torch.__version__}, {torch.get_num_threads()} threads, data: {PerfData.Source}; {(DateTime.UtcNow - started).TotalMinutes:F1} min."));
            sb.AppendLine();
            sb.AppendLine("| Measure | Value | Target |");
            sb.AppendLine("| --- | --- | --- |");
            foreach (var (measure, value, target) in rowsOut)
            {
                sb.AppendLine($"| {measure} | {value} | {target} |");
            }
            sb.AppendLine();
            sb.Append(ops);
            return sb.ToString();
        }

        /// <summary>Standard deviation of the InitCnn/bare ratio BenchmarkDotNet reports (its RatioSD column).</summary>
        private static double RatioSd(Summary summary)
        {
            var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(EpochBenchmarks.InitCnnFitEpoch));
            var baseline = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.Baseline);
            double a = report.ResultStatistics!.Mean, b = baseline.ResultStatistics!.Mean;
            double ra = report.ResultStatistics.StandardDeviation / a, rb = baseline.ResultStatistics.StandardDeviation / b;
            return a / b * Math.Sqrt(ra * ra + rb * rb);
        }

        private static double StepRate(Summary summary, ConvolutionPath path, int threads) =>
            StepBenchmarks.Steps * 64 / Seconds(summary, r => (ConvolutionPath)r.Parameters["Path"] == path && (int)r.Parameters["Threads"] == threads);

        /// <summary>Mean seconds per invocation of the one report matching <paramref name="select"/>.</summary>
        private static double Seconds(Summary summary, Func<BenchmarkCase, bool> select)
        {
            var report = summary.Reports.Single(r => select(r.BenchmarkCase));
            return report.ResultStatistics?.Mean / 1e9
                ?? throw new InvalidOperationException($"Benchmark {report.BenchmarkCase.DisplayInfo} produced no result.");
        }

        private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
