using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Examples.Output.Signal
{
    /// <summary>Signal propagation at initialization of one architecture under several initializers, on one batch.</summary>
    /// <param name="Architecture">The network.</param>
    /// <param name="Seed">Seed of every initialization.</param>
    /// <param name="BatchSize">Images in the batch.</param>
    /// <param name="Runs">One entry per initializer, in the order given.</param>
    public sealed record SignalComparison(NetworkArchitecture Architecture, long Seed, int BatchSize, IReadOnlyList<SignalRun> Runs)
    {
        /// <summary>Initializes the network once per initializer (seed <paramref name="seed"/>) and measures it on the
        /// batch (<see cref="InitializationDiagnostics.Analyze"/>).</summary>
        /// <param name="architecture">The network.</param>
        /// <param name="initializers">(label, plan) per initializer.</param>
        /// <param name="seed">Seed of every initialization.</param>
        /// <param name="images">Normalized images, N × C × H × W.</param>
        /// <param name="labels">Their classes.</param>
        /// <param name="shape">Image shape and classes.</param>
        /// <returns>The comparison; an initializer that cannot initialize the network (e.g. LSUV on a dead layer) has
        /// its error in <see cref="SignalRun.Error"/>.</returns>
        public static SignalComparison Measure(NetworkArchitecture architecture, IReadOnlyList<(string Label, InitializerPlan Plan)> initializers,
            long seed, torch.Tensor images, torch.Tensor labels, ImageShape shape)
        {
            var runs = new List<SignalRun>();
            foreach (var (label, plan) in initializers)
            {
                try
                {
                    var report = InitializationDiagnostics.Analyze(plan, seed, images, labels, shape, architecture: architecture);
                    runs.Add(new SignalRun(label, report, LayerVarianceRatio.Of(report, architecture), null));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    runs.Add(new SignalRun(label, null, Array.Empty<LayerVarianceRatio>(), e.Message));
                }
            }
            return new SignalComparison(architecture, seed, (int)images.shape[0], runs);
        }

        /// <summary>The layer names, in order (from the first measured run).</summary>
        public IReadOnlyList<string> LayerNames =>
            Runs.FirstOrDefault(r => r.Report is not null)?.Report!.Signal.Layers.Select(l => l.LayerName).ToList() ?? (IReadOnlyList<string>)Array.Empty<string>();
    }

    /// <summary>One initializer's measurement.</summary>
    /// <param name="Label">The initializer as given.</param>
    /// <param name="Report">The measurement, or null when initialization failed.</param>
    /// <param name="Ratios">Per-layer variance ratios, measured and predicted.</param>
    /// <param name="Error">Why initialization failed, or null.</param>
    public sealed record SignalRun(string Label, InitializationReport? Report, IReadOnlyList<LayerVarianceRatio> Ratios, string? Error)
    {
        /// <summary>Geometric mean of the measured ratios over the layers where the theory applies (all layers after
        /// the first when it applies nowhere); NaN when there are none or one is not positive.</summary>
        public double MeasuredRatio => GeometricMean(Applicable.Select(r => r.Measured));

        /// <summary>Geometric mean of the predicted ratios (NaN when the theory applies nowhere).</summary>
        public double TheoryRatio => GeometricMean(Ratios.Where(r => double.IsFinite(r.Theory)).Select(r => r.Theory));

        private IEnumerable<LayerVarianceRatio> Applicable =>
            Ratios.Any(r => double.IsFinite(r.Theory)) ? Ratios.Where(r => double.IsFinite(r.Theory)) : Ratios;

        private static double GeometricMean(IEnumerable<double> values)
        {
            var list = values.ToList();
            return list.Count == 0 || list.Any(v => !(v > 0) || !double.IsFinite(v)) ? double.NaN : Math.Exp(list.Average(Math.Log));
        }
    }
}
