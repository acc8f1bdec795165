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

        /// <summary>IDataView → tensors for the training split: seconds and managed bytes allocated per row.</summary>
        public static (double Seconds, double BytesPerRow) LoadTensors()
        {
            var rows = PerfData.Train.GetRowCount() ?? 0;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            using (TensorDataset.FromDataView(PerfData.Train, new InputColumns("Label", "Features"), ImageShape.Mnist, 0.1307, 0.3081))
            {
                watch.Stop();
            }
            return (watch.Elapsed.TotalSeconds, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)rows);
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
            return prefix + $"memory-probe --epochs {epochs}" + data;
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
