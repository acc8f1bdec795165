using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// Trains a network (<see cref="TrainingSettings.Architecture"/>; the seed's <see cref="MnistCnn"/> by default) with the seed article's protocol: seeded initialization, then per epoch a
    /// shuffled pass of mini-batch SGD with momentum on the NLL loss, then the average NLL and accuracy on the
    /// validation set. Every batch runs in its own dispose scope, so native memory stays flat across epochs.
    /// </summary>
    internal static class TrainingLoop
    {
        /// <summary>Builds, initializes and trains a network.</summary>
        /// <param name="train">Training images and labels.</param>
        /// <param name="validation">Validation images and labels, or null.</param>
        /// <param name="settings">The protocol.</param>
        /// <param name="progress">Receives progress after every batch, or null.</param>
        /// <param name="log">Receives one line per epoch and the convolution path, or null.</param>
        /// <param name="cancellation">Stops the fit between batches.</param>
        /// <returns>The trained network and its per-epoch history.</returns>
        /// <exception cref="TrainingDivergedException">The loss or, after an epoch, a weight became NaN or ∞ (says at
        /// which epoch and step).</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
        public static TrainingOutcome Run(TensorDataset train, TensorDataset? validation, TrainingSettings settings,
            IProgress<TrainingProgress>? progress = null, Action<string>? log = null, CancellationToken cancellation = default)
        {
            using var session = TrainingSession.Start(train, validation, settings, log);
            for (int epoch = 1; epoch <= settings.NumberOfEpochs; epoch++)
            {
                session.RunEpoch(progress, cancellation);
            }
            var history = session.History.ToArray();
            var net = session.DetachNetwork();
            return new TrainingOutcome(net, history, net.ConvolutionPath);
        }

        /// <summary>Average NLL per image and accuracy of <paramref name="net"/> on <paramref name="data"/>.</summary>
        /// <param name="net">The network (put in eval mode).</param>
        /// <param name="data">Images and labels.</param>
        /// <param name="batchSize">Images per forward pass.</param>
        /// <returns>(average NLL in nats, accuracy in [0, 1]).</returns>
        public static (double Loss, double Accuracy) Evaluate(ClassifierNetwork net, TensorDataset data, int batchSize)
        {
            ArgumentNullException.ThrowIfNull(net);
            ArgumentNullException.ThrowIfNull(data);
            net.eval();
            double lossSum = 0;
            long correct = 0;
            using (no_grad())
            {
                for (long start = 0; start < data.Count; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    long size = Math.Min(batchSize, data.Count - start);
                    var output = net.forward(data.Features.narrow(0, start, size));
                    var labels = data.Labels.narrow(0, start, size);
                    lossSum += F.nll_loss(output, labels, reduction: nn.Reduction.Sum).item<float>();
                    correct += output.argmax(1).eq(labels).sum().item<long>();
                }
            }
            return (lossSum / data.Count, (double)correct / data.Count);
        }
    }

    /// <summary>A trained network and how its training went.</summary>
    /// <param name="Network">The trained network (owned by the caller; dispose it).</param>
    /// <param name="History">Metrics per epoch.</param>
    /// <param name="ConvolutionPath">The convolution path used.</param>
    internal sealed record TrainingOutcome(ClassifierNetwork Network, IReadOnlyList<EpochMetrics> History, ConvolutionPath ConvolutionPath);
}
