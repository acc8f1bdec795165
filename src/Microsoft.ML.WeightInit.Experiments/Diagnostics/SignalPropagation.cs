using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>
    /// Measures how signals propagate through a <see cref="ClassifierNetwork"/> at initialization: the standard deviation of
    /// every layer's output on a batch (forward), and of the gradient of the batch's mean NLL with respect to that
    /// output (backward). Vanishing or exploding values show up as stds far below or above those of the neighbours.
    /// Parameters and their <c>.grad</c> are left untouched.
    /// </summary>
    public static class SignalPropagation
    {
        /// <summary>Runs one forward and one backward pass.</summary>
        /// <param name="network">The initialized network.</param>
        /// <param name="images">Normalized images, N × C × H × W (N ≥ 2).</param>
        /// <param name="labels">Class indices in [0, K), N values, int64.</param>
        /// <returns>The loss and one <see cref="LayerSignal"/> per layer.</returns>
        /// <exception cref="ArgumentException">The batch sizes differ.</exception>
        public static SignalReport Measure(ClassifierNetwork network, torch.Tensor images, torch.Tensor labels)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(images);
            ArgumentNullException.ThrowIfNull(labels);
            if (images.shape[0] != labels.shape[0])
            {
                throw new ArgumentException($"images has {images.shape[0]} rows but labels has {labels.shape[0]}.", nameof(labels));
            }
            using var scope = torch.NewDisposeScope();
            using var grad = torch.enable_grad();
            var outputs = network.ForwardWithLayerOutputs(images);
            var layerOutputs = outputs.Take(network.Layers.Count).ToList();
            var loss = F.nll_loss(outputs[^1], labels);
            var gradients = torch.autograd.grad(new[] { loss }, layerOutputs);
            var layers = network.Layers.Select((layer, i) => new LayerSignal(
                layer.LayerName,
                Scalar(layerOutputs[i].detach().mean()),
                Scalar(layerOutputs[i].detach().std()),
                Scalar(gradients[i].std()))).ToList();
            return new SignalReport(Scalar(loss.detach()), layers);
        }

        private static double Scalar(torch.Tensor value) => value.to_type(torch.ScalarType.Float64).item<double>();
    }
}
