using System;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// Runs a trained network on raw feature rows: normalizes them as in training, runs the forward pass under
    /// no-grad and writes class probabilities. Each row's probabilities do not depend on the other rows scored with
    /// it (<see cref="MnistCnn.ForwardPerImage"/>), so batched and single-row scoring agree bit for bit. Safe to
    /// call from several threads at once (inference only reads the parameters; grad mode is thread-local in libtorch).
    /// </summary>
    internal sealed class CnnScorer
    {
        private readonly MnistCnn _network;
        private readonly double _mean;
        private readonly double _std;
        private readonly Action? _throwIfDisposed;

        /// <param name="network">The trained network.</param>
        /// <param name="mean">Normalization mean.</param>
        /// <param name="std">Normalization standard deviation.</param>
        /// <param name="throwIfDisposed">Throws <see cref="ObjectDisposedException"/> once the network's owner was
        /// disposed (checked before every batch: a view made before Dispose and read after it must not read freed
        /// tensors).</param>
        public CnnScorer(MnistCnn network, double mean, double std, Action? throwIfDisposed = null)
        {
            _throwIfDisposed = throwIfDisposed;
            _network = network;
            _network.eval();
            _mean = mean;
            _std = std;
        }

        public ImageShape Shape => _network.Shape;

        /// <summary>Scores <paramref name="rows"/> images.</summary>
        /// <param name="features">rows × (C·H·W) raw feature values, row-major.</param>
        /// <param name="rows">Number of images.</param>
        /// <param name="probabilities">rows × K output, row-major.</param>
        /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
        public void Score(ReadOnlySpan<float> features, int rows, Span<float> probabilities)
        {
            _throwIfDisposed?.Invoke();
            var shape = _network.Shape;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = empty(new long[] { rows, shape.FeatureCount }, ScalarType.Float32);
            input.data<float>().CopyFrom(features[..(rows * shape.FeatureCount)], 0, 0);
            input.sub_(_mean).div_(_std);
            var output = _network.ForwardPerImage(input.view(rows, shape.Channels, shape.Height, shape.Width)).exp_();
            output.data<float>().CopyTo(probabilities[..(rows * shape.Classes)], 0, 0);
        }
    }
}
