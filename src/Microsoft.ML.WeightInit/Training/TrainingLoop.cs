using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// Trains an <see cref="MnistCnn"/> with the seed article's protocol: seeded initialization, then per epoch a
    /// shuffled pass of mini-batch SGD with momentum on the NLL loss, then the average NLL and accuracy on the
    /// validation set. Every batch runs in its own dispose scope, so native memory stays flat across epochs.
    /// </summary>
    public static class TrainingLoop
    {
        /// <summary>Builds, initializes and trains a network.</summary>
        /// <param name="train">Training images and labels.</param>
        /// <param name="validation">Validation images and labels, or null.</param>
        /// <param name="settings">The protocol.</param>
        /// <param name="progress">Receives progress after every batch, or null.</param>
        /// <param name="log">Receives one line per epoch and the convolution path, or null.</param>
        /// <param name="cancellation">Stops the fit between batches.</param>
        /// <returns>The trained network and its per-epoch history.</returns>
        /// <exception cref="TrainingDivergedException">The loss became NaN or ∞ (says at which epoch and step).</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
        public static TrainingOutcome Run(TensorDataset train, TensorDataset? validation, TrainingSettings settings,
            IProgress<TrainingProgress>? progress = null, Action<string>? log = null, CancellationToken cancellation = default)
        {
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(settings);
            settings.Validate();
            TorchRuntime.EnsureInitialized();
            if (settings.NumberOfThreads > 0)
            {
                set_num_threads(settings.NumberOfThreads);
            }
            var path = settings.ConvolutionPath ?? ConvolutionPathSelector.Current.Path;
            log?.Invoke(settings.ConvolutionPath is null ? ConvolutionPathSelector.Current.ToString() : $"Convolution path: {path} (set by the caller)");

            var net = new MnistCnn(train.Shape, path);
            try
            {
                using (var generator = new Generator((ulong)settings.Seed))
                {
                    // Data-dependent schemes (LSUV) calibrate on the first training images in storage order; the
                    // shuffled order is drawn from the same generator only after initialization.
                    using (var calibration = train.Features.narrow(0, 0, Math.Min(settings.BatchSize, train.Count)))
                    {
                        foreach (var layer in NetworkInitializer.Initialize(net, generator, settings.Initialization, calibration))
                        {
                            log?.Invoke($"Initialization: {layer}");
                        }
                    }
                    var history = Train(net, train, validation, settings, generator, progress, log, cancellation);
                    return new TrainingOutcome(net, history, path);
                }
            }
            catch
            {
                net.Dispose();
                throw;
            }
        }

        private static List<EpochMetrics> Train(MnistCnn net, TensorDataset train, TensorDataset? validation, TrainingSettings settings,
            Generator generator, IProgress<TrainingProgress>? progress, Action<string>? log, CancellationToken cancellation)
        {
            var history = new List<EpochMetrics>();
            using var optimizer = optim.SGD(net.parameters(), settings.LearningRate, settings.Momentum);
            long n = train.Count;
            int steps = (int)((n + settings.BatchSize - 1) / settings.BatchSize);
            for (int epoch = 1; epoch <= settings.NumberOfEpochs; epoch++)
            {
                net.train();
                var watch = Stopwatch.StartNew();
                double lossSum = 0, lastLoss = double.NaN;
                using (var order = randperm(n, generator: generator))
                {
                    for (int step = 1; step <= steps; step++)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        long start = (long)(step - 1) * settings.BatchSize;
                        long size = Math.Min(settings.BatchSize, n - start);
                        double loss = Step(net, optimizer, train, order, start, size);
                        if (!double.IsFinite(loss))
                        {
                            throw new TrainingDivergedException(epoch, step, loss) { CompletedEpochs = history.ToArray() };
                        }
                        lossSum += loss;
                        lastLoss = loss;
                        progress?.Report(new TrainingProgress(epoch, settings.NumberOfEpochs, step, steps, loss,
                            (start + size) / watch.Elapsed.TotalSeconds));
                    }
                }
                // A step whose loss was finite can still leave weights that are NaN or ∞, or so large that the forward
                // pass overflows (a huge learning rate): the next step's loss shows it, but after an epoch's last step
                // there may be none, so the weights and the loss they now give on a training batch are checked here.
                if (FirstNonFiniteParameter(net) is { } parameter)
                {
                    throw new TrainingDivergedException(epoch, steps, lastLoss, parameter) { CompletedEpochs = history.ToArray() };
                }
                double after = ProbeLoss(net, train, settings.BatchSize);
                if (!double.IsFinite(after))
                {
                    throw new TrainingDivergedException(epoch, steps, after) { CompletedEpochs = history.ToArray() };
                }
                double seconds = watch.Elapsed.TotalSeconds;
                var (validationLoss, accuracy) = validation is null
                    ? (double.NaN, double.NaN)
                    : Evaluate(net, validation, settings.ValidationBatchSize);
                var metrics = new EpochMetrics(epoch, lossSum / steps, validationLoss, accuracy, seconds, n / seconds);
                history.Add(metrics);
                log?.Invoke($"Epoch {epoch}/{settings.NumberOfEpochs}: training loss {metrics.TrainingLoss:F4}, " +
                    $"validation loss {validationLoss:F4}, accuracy {accuracy:F4}, {seconds:F1} s, {metrics.ImagesPerSecond:F0} images/s");
            }
            return history;
        }

        private static string? FirstNonFiniteParameter(MnistCnn net)
        {
            using var scope = NewDisposeScope();
            foreach (var (name, parameter) in net.named_parameters())
            {
                if (!parameter.isfinite().all().item<bool>())
                {
                    return name;
                }
            }
            return null;
        }

        /// <summary>The loss on the first training batch (storage order), without gradients or randomness.</summary>
        private static double ProbeLoss(MnistCnn net, TensorDataset train, int batchSize)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long size = Math.Min(batchSize, train.Count);
            return F.nll_loss(net.forward(train.Features.narrow(0, 0, size)), train.Labels.narrow(0, 0, size)).item<float>();
        }

        private static double Step(MnistCnn net, optim.Optimizer optimizer, TensorDataset train, Tensor order, long start, long size)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, size);
            var images = train.Features.index_select(0, index);
            var labels = train.Labels.index_select(0, index);
            optimizer.zero_grad();
            var loss = F.nll_loss(net.forward(images), labels);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        /// <summary>Average NLL per image and accuracy of <paramref name="net"/> on <paramref name="data"/>.</summary>
        /// <param name="net">The network (put in eval mode).</param>
        /// <param name="data">Images and labels.</param>
        /// <param name="batchSize">Images per forward pass.</param>
        /// <returns>(average NLL in nats, accuracy in [0, 1]).</returns>
        public static (double Loss, double Accuracy) Evaluate(MnistCnn net, TensorDataset data, int batchSize)
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
    public sealed record TrainingOutcome(MnistCnn Network, IReadOnlyList<EpochMetrics> History, ConvolutionPath ConvolutionPath);
}
