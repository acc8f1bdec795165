using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// Results unchanged? The seed protocol trained per seed with conv1 + ReLU + max-pool by libtorch (the checked path
    /// pinned) and by the fused kernel (the trainer's default selection), runs interleaved: per-epoch test accuracy and
    /// loss of both, the largest difference between the variants of one seed, and the spread between seeds of one
    /// variant. Initial weights are the same in both (the kernel draws nothing).
    /// </summary>
    public static class Curves
    {
        /// <summary>Trains and formats the comparison as Markdown.</summary>
        public static string Run(IReadOnlyList<long> seeds, int epochs, long rows)
        {
            var train = PerfData.TrainTensors;
            using var test = TensorDataset.FromDataView(PerfData.Test, new InputColumns("Label", "Features"), ImageShape.Mnist, 0.1307, 0.3081);
            using var subset = rows < train.Count ? Subset(rows) : null;
            var data = subset ?? train;
            var path = ConvolutionPathSelector.Current.Path;
            var results = new Dictionary<(long Seed, bool Fused), IReadOnlyList<EpochMetrics>>();
            foreach (long seed in seeds)
            {
                foreach (bool fused in new[] { false, true })
                {
                    var settings = new TrainingSettings { NumberOfEpochs = epochs, Seed = seed, ConvolutionPath = fused ? null : path };
                    var outcome = TrainingLoop.Run(data, test, settings);
                    outcome.Network.Dispose();
                    results[(seed, fused)] = outcome.History;
                }
            }
            var sb = new StringBuilder();
            sb.AppendLine(F($"Test accuracy (loss) per epoch, {data.Count} training rows, 10,000 test images; libtorch = conv path {path} pinned, fused = the default selection ({ConvolutionPathSelector.Current.UsesFusedConv1})."));
            sb.AppendLine();
            sb.AppendLine("| Seed | Variant | " + string.Join(" | ", Enumerable.Range(1, epochs).Select(e => $"Epoch {e}")) + " | Seconds |");
            sb.AppendLine("| --- | --- | " + string.Join(" | ", Enumerable.Range(1, epochs).Select(_ => "---")) + " | --- |");
            foreach (long seed in seeds)
            {
                foreach (bool fused in new[] { false, true })
                {
                    var h = results[(seed, fused)];
                    sb.AppendLine(F($"| {seed} | {(fused ? "fused" : "libtorch")} | ") + string.Join(" | ", h.Select(m => F($"{m.ValidationAccuracy:F4} ({m.ValidationLoss:F4})"))) + F($" | {h.Sum(m => m.Seconds):F1} |"));
                }
            }
            sb.AppendLine();
            for (int e = 0; e < epochs; e++)
            {
                double variantGap = seeds.Max(s => Math.Abs(results[(s, true)][e].ValidationAccuracy - results[(s, false)][e].ValidationAccuracy));
                double spreadLibtorch = seeds.Max(s => results[(s, false)][e].ValidationAccuracy) - seeds.Min(s => results[(s, false)][e].ValidationAccuracy);
                double spreadFused = seeds.Max(s => results[(s, true)][e].ValidationAccuracy) - seeds.Min(s => results[(s, true)][e].ValidationAccuracy);
                sb.AppendLine(F($"Epoch {e + 1}: largest |fused − libtorch| accuracy of one seed {variantGap:F4}; spread between seeds (max − min): libtorch {spreadLibtorch:F4}, fused {spreadFused:F4}."));
            }
            double libtorchSeconds = results.Where(r => !r.Key.Fused).Sum(r => r.Value.Sum(m => m.Seconds));
            double fusedSeconds = results.Where(r => r.Key.Fused).Sum(r => r.Value.Sum(m => m.Seconds));
            sb.AppendLine(F($"Training seconds, all seeds: libtorch {libtorchSeconds:F1}, fused {fusedSeconds:F1} (fused / libtorch {fusedSeconds / libtorchSeconds:F3})."));
            return sb.ToString();
        }

        private static TensorDataset Subset(long rows)
        {
            var view = PerfData.MLContext.Data.TakeRows(PerfData.Train, rows);
            return TensorDataset.FromDataView(view, new InputColumns("Label", "Features"), ImageShape.Mnist, 0.1307, 0.3081);
        }

        private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
