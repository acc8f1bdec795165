using System;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>
    /// One call for the <c>init-stats</c> view: builds a network (the seed's <see cref="MnistCnn"/> or any
    /// <see cref="NetworkArchitecture"/>), initializes it with a plan and a
    /// seed exactly as training does (<see cref="NetworkInitializer"/>, the batch doubling as LSUV's calibration
    /// batch), then reports per-parameter statistics against theory and the signal propagation on the batch.
    /// </summary>
    public static class InitializationDiagnostics
    {
        /// <summary>Initializes a fresh network and measures it.</summary>
        /// <param name="plan">The initialization plan.</param>
        /// <param name="seed">Seed of the generator (as <c>TrainingSettings.Seed</c>).</param>
        /// <param name="images">A batch of normalized images, N × C × H × W (N ≥ 2), e.g. the first 64 training images.</param>
        /// <param name="labels">Their class indices, N values, int64.</param>
        /// <param name="shape">Image shape and classes (default <see cref="ImageShape.Mnist"/>).</param>
        /// <param name="path">Convolution path (default: the verified one, <see cref="ConvolutionPathSelector"/>).</param>
        /// <param name="architecture">The network (default <see cref="NetworkArchitecture.MnistNet"/>).</param>
        /// <returns>The report.</returns>
        /// <exception cref="ArgumentException">The plan does not fit the network, or the batch does not fit the shape.</exception>
        /// <exception cref="InvalidOperationException">LSUV cannot calibrate a layer.</exception>
        public static InitializationReport Analyze(InitializerPlan plan, long seed, torch.Tensor images, torch.Tensor labels,
            ImageShape? shape = null, ConvolutionPath? path = null, NetworkArchitecture? architecture = null)
        {
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentNullException.ThrowIfNull(images);
            ArgumentNullException.ThrowIfNull(labels);
            TorchRuntime.EnsureInitialized();
            using var network = (architecture ?? NetworkArchitecture.MnistNet).Build(shape ?? ImageShape.Mnist, path ?? ConvolutionPathSelector.Current.Path);
            using var generator = new torch.Generator(unchecked((ulong)seed));
            var calibrations = NetworkInitializer.Initialize(network, generator, plan, images);
            var parameters = WeightStatistics.Of(network.Layers, plan);
            var signal = SignalPropagation.Measure(network, images, labels);
            return new InitializationReport(plan.TextForm, seed, parameters, signal, calibrations);
        }
    }
}
