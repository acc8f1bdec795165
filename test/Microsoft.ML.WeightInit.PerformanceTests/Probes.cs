using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// Measurements a benchmark library cannot take: per-call latency percentiles, allocations per row, time spent
    /// gathering batches, and the resident memory of a whole fit (in a child process, so nothing else is counted).
    /// </summary>
    public static class Probes
    {
        /// <summary>PredictionEngine latency over single test images: (median, p99) in milliseconds.</summary>
        public static (double Median, double P99) PredictionLatency(ITransformer model, int calls = 2000)
        {
            var ml = PerfData.MLContext;
            var engine = ml.Model.CreatePredictionEngine<Digit, Prediction>(model);
            var inputs = ml.Data.CreateEnumerable<Digit>(PerfData.Test, reuseRowObject: false).Take(500).ToArray();
            var output = new Prediction();
            for (int i = 0; i < 100; i++)
            {
                engine.Predict(inputs[i % inputs.Length], ref output);
            }
            var times = new double[calls];
            for (int i = 0; i < calls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                engine.Predict(inputs[i % inputs.Length], ref output);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            return (times[calls / 2], times[(int)(calls * 0.99)]);
        }

        /// <summary>
        /// IDataView → tensors for the training split: seconds, and managed bytes allocated per row by the whole load
        /// and by a bare cursor pass over the same view (what ML.NET's own transforms, e.g. MapValueToKey, allocate).
        /// </summary>
        public static (double Seconds, double BytesPerRow, double CursorBytesPerRow) LoadTensors()
        {
            var view = PerfData.Train;
            long rows = view.GetRowCount() ?? 0;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            using (TensorDataset.FromDataView(view, new InputColumns("Label", "Features"), ImageShape.Mnist, 0.1307, 0.3081))
            {
                watch.Stop();
            }
            double load = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)rows;

            allocated = GC.GetTotalAllocatedBytes(precise: true);
            using (var cursor = view.GetRowCursor(new[] { view.Schema["Label"], view.Schema["Features"] }))
            {
                var label = cursor.GetGetter<uint>(view.Schema["Label"]);
                var features = cursor.GetGetter<VBuffer<float>>(view.Schema["Features"]);
                uint key = 0;
                VBuffer<float> values = default;
                while (cursor.MoveNext())
                {
                    label(ref key);
                    features(ref values);
                }
            }
            return (watch.Elapsed.TotalSeconds, load, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)rows);
        }

        /// <summary>
        /// One InitCnn fit of one epoch, timed from the outside and, by the trainer's history, inside the epoch loop:
        /// (whole Fit seconds, seconds of the epoch's SGD loop).
        /// </summary>
        public static (double Fit, double Epoch) FitBreakdown()
        {
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1 };
            var watch = Stopwatch.StartNew();
            using var model = PerfData.MLContext.MulticlassClassification.Trainers.InitCnn(options).Fit(PerfData.Train);
            return (watch.Elapsed.TotalSeconds, model.Model.History[0].Seconds);
        }

        /// <summary>Seconds one epoch spends gathering shuffled batches (index_select of images and labels) alone.</summary>
        public static double GatherEpochSeconds(int batchSize = 64)
        {
            var data = PerfData.TrainTensors;
            using var generator = new Generator(1);
            using var order = randperm(data.Count, generator: generator);
            var watch = Stopwatch.StartNew();
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(batchSize, data.Count - start));
                _ = data.Features.index_select(0, index);
                _ = data.Labels.index_select(0, index);
            }
            return watch.Elapsed.TotalSeconds;
        }

        /// <summary>
        /// Forward + backward of each layer alone on a batch of 64, with the convolution path in use: milliseconds
        /// per step and GFLOP/s (weight and input gradients; conv1 needs no input gradient). Shows where the net falls
        /// short of the GEMM rate.
        /// </summary>
        public static IReadOnlyList<(string Layer, double Milliseconds, double Gflops)> LayerRates(int repeats = 200)
        {
            var path = ConvolutionPathSelector.Current.Path;
            using var g = new Generator(1);
            Tensor P(params long[] shape) => (rand(shape, generator: g) - 0.5).requires_grad_(true);
            var cases = new (string Layer, Func<Tensor> Output, double Flops)[]
            {
                ("conv1 1→20", Conv(rand(new long[] { 64, 1, 28, 28 }, generator: g), P(20, 1, 5, 5), P(20), path), 2.0 * 64 * 20 * 25 * 24 * 24 * 2),
                ("conv2 20→50", Conv(P(64, 20, 12, 12), P(50, 20, 5, 5), P(50), path), 2.0 * 64 * 50 * 500 * 8 * 8 * 3),
                ("fc1 800→500", Linear(P(64, 800), P(500, 800), P(500)), 2.0 * 64 * 800 * 500 * 3),
                ("fc2 500→10", Linear(P(64, 500), P(10, 500), P(10)), 2.0 * 64 * 500 * 10 * 3),
            };
            if (ConvolutionPathSelector.Current.UsesFusedConv1)
            {
                // The same convolution arithmetic as conv1 (forward and weight gradient), with ReLU and pooling fused in.
                var x = rand(new long[] { 64, 1, 28, 28 }, generator: g);
                var (w, b) = (P(20, 1, 5, 5), P(20));
                cases = cases.Append(("conv1+ReLU+pool fused", () => Networks.Kernels.ConvReluPoolFunction.Apply(x, w, b), cases[0].Flops)).ToArray();
            }
            var rates = new List<(string, double, double)>();
            foreach (var (layer, output, flops) in cases)
            {
                void Step()
                {
                    using var scope = NewDisposeScope();
                    output().sum().backward();
                }
                for (int i = 0; i < 20; i++)
                {
                    Step();
                }
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < repeats; i++)
                {
                    Step();
                }
                double ms = watch.Elapsed.TotalMilliseconds / repeats;
                rates.Add((layer, ms, flops / (ms / 1000) / 1e9));
            }
            return rates;
        }

        private static Func<Tensor> Conv(Tensor x, Tensor w, Tensor b, ConvolutionPath path) => path switch
        {
            ConvolutionPath.ChannelsLast => () => nn.functional.conv2d(
                x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2), w.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2), b),
            ConvolutionPath.Native => () => nn.functional.conv2d(x, w, b),
            _ => () => (w.reshape(w.shape[0], -1).matmul(nn.functional.unfold(x, (5, 5))) + b.unsqueeze(1)),
        };

        private static Func<Tensor> Linear(Tensor x, Tensor w, Tensor b) => () => nn.functional.linear(x, w, b);

        /// <summary>
        /// Runs a five-epoch fit in a child process (this program with <c>memory-probe</c>) and returns its resident
        /// memory at the end of each epoch and its peak, in MB.
        /// </summary>
        public static (IReadOnlyList<double> EpochRss, IReadOnlyList<double> EpochManaged, double Peak) FitMemory(string? dataDirectory, int epochs = 5)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!, BuildArguments(dataDirectory, epochs))
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            var lines = process.StandardOutput.ReadToEnd().Split('\n');
            process.WaitForExit();
            var rss = new List<double>();
            var managed = new List<double>();
            double peak = double.NaN;
            foreach (var line in lines.Select(l => l.Trim().Split(' ')))
            {
                if (line[0] == "epoch")
                {
                    rss.Add(double.Parse(line[2], CultureInfo.InvariantCulture));
                    managed.Add(double.Parse(line[3], CultureInfo.InvariantCulture));
                }
                else if (line[0] == "peak")
                {
                    peak = double.Parse(line[1], CultureInfo.InvariantCulture);
                }
            }
            return (rss, managed, peak);
        }

        /// <summary>The child side of <see cref="FitMemory"/>: prints "epoch N rssMB managedMB" lines and "peak MB".</summary>
        public static void RunMemoryChild(int epochs)
        {
            var ml = PerfData.MLContext;
            var options = new InitCnnTrainer.Options
            {
                NumberOfEpochs = epochs,
                ValidationSet = PerfData.Test,
                Progress = new Inline<TrainingProgress>(p =>
                {
                    if (p.Step == p.StepsPerEpoch)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"epoch {p.Epoch} {Status("VmRSS")} {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:F1}"));
                    }
                }),
            };
            using var model = ml.MulticlassClassification.Trainers.InitCnn(options).Fit(PerfData.Train);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak {Status("VmHWM")}"));
        }

        /// <summary>A /proc/self/status memory field in MB.</summary>
        private static string Status(string field)
        {
            string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            double kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (kb / 1024).ToString("F1", CultureInfo.InvariantCulture);
        }

        private static string BuildArguments(string? dataDirectory, int epochs)
        {
            string self = Environment.GetCommandLineArgs()[0];
            string prefix = self.EndsWith(".dll", StringComparison.Ordinal) ? $"\"{self}\" " : "";
            string data = dataDirectory is null ? "" : $" --data \"{dataDirectory}\"";
            string rows = PerfData.TrainRows is { } n ? $" --train-rows {n}" : "";
            return prefix + $"memory-probe --epochs {epochs}" + data + rows;
        }

        private sealed class Inline<T>(Action<T> report) : IProgress<T>
        {
            public void Report(T value) => report(value);
        }

        /// <summary>Input row for the PredictionEngine.</summary>
        public sealed class Digit
        {
            /// <summary>Key (unused by prediction).</summary>
            public uint Label { get; set; }

            /// <summary>784 pixels in [0, 1].</summary>
            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        /// <summary>Output row.</summary>
        public sealed class Prediction
        {
            /// <summary>Predicted key.</summary>
            public uint PredictedLabel { get; set; }

            /// <summary>Class probabilities.</summary>
            public float[] Score { get; set; } = Array.Empty<float>();
        }
    }
}
