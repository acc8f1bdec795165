using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// One fit that can stop after any epoch and go on later: the network, its SGD optimizer (momentum buffers) and the
    /// seeded generator (shuffling) stay alive between epochs, so <c>k</c> epochs now and <c>m</c> more later give the
    /// same network, bit for bit, as <c>k + m</c> epochs in one go. <see cref="TrainingLoop.Run"/> is a session run to
    /// its end; sweeps pause sessions between rungs of successive halving.
    /// </summary>
    internal sealed class TrainingSession : IDisposable
    {
        private readonly TensorDataset _train;
        private readonly TensorDataset? _validation;
        private readonly Generator _generator;
        private readonly optim.Optimizer _optimizer;
        private readonly List<EpochMetrics> _history = new();
        private readonly Action<string>? _log;
        private readonly Parameter[] _parameters;
        private ClassifierNetwork? _network;
        private int _lastWorkers = -1;

        private TrainingSession(TensorDataset train, TensorDataset? validation, TrainingSettings settings, ClassifierNetwork network,
            Generator generator, Action<string>? log)
        {
            _train = train;
            _validation = validation;
            Settings = settings;
            _network = network;
            _generator = generator;
            _log = log;
            _parameters = network.parameters().ToArray();
            _optimizer = optim.SGD(_parameters, settings.LearningRate, settings.Momentum);
        }

        /// <summary>The protocol (its <see cref="TrainingSettings.NumberOfEpochs"/> is only the planned total shown in
        /// progress and log lines).</summary>
        public TrainingSettings Settings { get; }

        /// <summary>The network being trained (owned by the session until <see cref="DetachNetwork"/>).</summary>
        public ClassifierNetwork Network => _network ?? throw new ObjectDisposedException(nameof(TrainingSession), "The network was detached.");

        /// <summary>Metrics of the epochs run so far.</summary>
        public IReadOnlyList<EpochMetrics> History => _history;

        /// <summary>Epochs run so far.</summary>
        public int CompletedEpochs => _history.Count;

        /// <summary>Builds the network, draws its initialization from a generator seeded with
        /// <see cref="TrainingSettings.Seed"/>, and creates the optimizer.</summary>
        /// <param name="train">Training images and labels (not owned).</param>
        /// <param name="validation">Validation images and labels scored after every epoch, or null (not owned).</param>
        /// <param name="settings">The protocol.</param>
        /// <param name="log">Receives the convolution path and one line per epoch, or null.</param>
        /// <returns>The session, before its first epoch.</returns>
        /// <exception cref="ArgumentException">An initializer rejects a parameter.</exception>
        public static TrainingSession Start(TensorDataset train, TensorDataset? validation, TrainingSettings settings, Action<string>? log)
        {
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(settings);
            settings.Validate();
            TorchRuntime.EnsureInitialized();
            if (ThreadUse.Capped(settings.NumberOfThreads) is var capped && capped < settings.NumberOfThreads)
            {
                log?.Invoke($"NumberOfThreads {settings.NumberOfThreads} capped at {capped}, the cores this process may use.");
            }
            log?.Invoke(ThreadUse.Describe(settings.NumberOfThreads, ThreadUse.Apply(settings.NumberOfThreads)));
            var path = settings.ConvolutionPath ?? ConvolutionPathSelector.Current.Path;
            log?.Invoke(settings.ConvolutionPath is null ? ConvolutionPathSelector.Current.ToString() : $"Convolution path: {path} (set by the caller)");
            if (settings.ConvolutionPath is null && settings.Architecture.CheckShapes(train.Shape) is { Count: > 0 } shapes)
            {
                // The process's path was checked on the seed net's shapes; a deep CNN's own shapes are checked too.
                var selection = ConvolutionPathSelector.For(shapes);
                path = selection.Path;
                log?.Invoke($"{settings.Architecture.TextForm}: {selection}");
            }

            var net = settings.Architecture.Build(train.Shape, path);
            if (net is MnistCnn seedNet)
            {
                // The fused conv1 kernel belongs to the checked selection; a path the caller pins runs as pinned.
                seedNet.FusedConv1ReluPool = settings.ConvolutionPath is null && train.Shape.Channels == 1 && ConvolutionPathSelector.Current.UsesFusedConv1;
            }
            var generator = new Generator((ulong)settings.Seed);
            try
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
                return new TrainingSession(train, validation, settings, net, generator, log);
            }
            catch
            {
                generator.Dispose();
                net.Dispose();
                throw;
            }
        }

        /// <summary>Runs one shuffled epoch of mini-batch SGD, then scores the validation set.</summary>
        /// <param name="progress">Receives progress after every batch, or null.</param>
        /// <param name="cancellation">Stops between batches (the session is then mid-epoch: dispose it).</param>
        /// <param name="plannedEpochs">Total epochs shown in progress and log lines; 0 for the settings' number.</param>
        /// <returns>The epoch's metrics (also appended to <see cref="History"/>).</returns>
        /// <exception cref="TrainingDivergedException">The loss became NaN or ∞ at a step, or a parameter or the loss on
        /// the first training batch after the epoch's last step did.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
        public EpochMetrics RunEpoch(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default, int plannedEpochs = 0)
        {
            var net = Network;
            int epoch = _history.Count + 1;
            int planned = Math.Max(plannedEpochs > 0 ? plannedEpochs : Settings.NumberOfEpochs, epoch);
            long n = _train.Count;
            int steps = (int)((n + Settings.BatchSize - 1) / Settings.BatchSize);
            // libtorch's thread count is per thread: pinned again on the thread that runs this epoch.
            int threads = ThreadUse.Apply(Settings.NumberOfThreads);
            int workerCount = WorkersPerBatch(net, threads);
            if (epoch == 1 || workerCount != _lastWorkers)
            {
                _log?.Invoke(ThreadUse.DescribeSplit(workerCount, workerCount * Settings.SplitPartsPerThread, threads, net.Norms.Count > 0));
                _lastWorkers = workerCount;
            }
            net.train();
            var watch = Stopwatch.StartNew();
            double lossSum = 0, lastLoss = double.NaN;
            using (var workers = workerCount > 1 ? new PartWorkers(workerCount) : null)
            using (var order = randperm(n, generator: _generator))
            {
                for (int step = 1; step <= steps; step++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    long start = (long)(step - 1) * Settings.BatchSize;
                    long size = Math.Min(Settings.BatchSize, n - start);
                    double loss = workers is null ? Step(net, order, start, size) : SplitStep(net, workers, order, start, size);
                    if (!double.IsFinite(loss))
                    {
                        throw new TrainingDivergedException(epoch, step, loss) { CompletedEpochs = _history.ToArray() };
                    }
                    lossSum += loss;
                    lastLoss = loss;
                    progress?.Report(new TrainingProgress(epoch, planned, step, steps, loss, (start + size) / watch.Elapsed.TotalSeconds));
                }
            }
            // A step whose loss was finite can still leave weights that are NaN or ∞, or so large that the forward
            // pass overflows (a huge learning rate): the next step's loss shows it, but after an epoch's last step
            // there may be none, so the weights and the loss they now give on a training batch are checked here.
            if (FirstNonFiniteParameter(net) is { } parameter)
            {
                throw new TrainingDivergedException(epoch, steps, lastLoss, parameter) { CompletedEpochs = _history.ToArray() };
            }
            double after = ProbeLoss(net);
            if (!double.IsFinite(after))
            {
                throw new TrainingDivergedException(epoch, steps, after) { CompletedEpochs = _history.ToArray() };
            }
            double seconds = watch.Elapsed.TotalSeconds;
            var (validationLoss, accuracy) = _validation is null
                ? (double.NaN, double.NaN)
                : TrainingLoop.Evaluate(net, _validation, Settings.ValidationBatchSize);
            var metrics = new EpochMetrics(epoch, lossSum / steps, validationLoss, accuracy, seconds, n / seconds) { NumberOfThreads = threads };
            _history.Add(metrics);
            _log?.Invoke($"Epoch {epoch}/{planned}: training loss {metrics.TrainingLoss:F4}, " +
                $"validation loss {validationLoss:F4}, accuracy {accuracy:F4}, {seconds:F1} s, {metrics.ImagesPerSecond:F0} images/s, {threads} threads");
            return metrics;
        }

        /// <summary>Hands the network to the caller (who then disposes it); the session can train no further.</summary>
        /// <returns>The network.</returns>
        public ClassifierNetwork DetachNetwork()
        {
            var net = Network;
            _network = null;
            return net;
        }

        /// <summary>Frees the optimizer, the generator and (unless detached) the network.</summary>
        public void Dispose()
        {
            _optimizer.Dispose();
            _generator.Dispose();
            _network?.Dispose();
            _network = null;
        }

        private static string? FirstNonFiniteParameter(ClassifierNetwork net)
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
        private double ProbeLoss(ClassifierNetwork net)
        {
            // In eval mode: the probe is no training step, so batch normalization's running statistics stay as the
            // epoch's steps left them (the next epoch puts the network back in train mode).
            net.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long size = Math.Min(Settings.BatchSize, _train.Count);
            return F.nll_loss(net.forward(_train.Features.narrow(0, 0, size)), _train.Labels.narrow(0, 0, size)).item<float>();
        }

        /// <summary>Worker threads that share each training batch: one per libtorch thread of the epoch when
        /// <see cref="TrainingSettings.SplitBatchAcrossThreads"/> is on and the network has no batch normalization
        /// (whose batch statistics would then be a part's, not the batch's); else 1 (one graph per batch).</summary>
        private int WorkersPerBatch(ClassifierNetwork net, int threads) =>
            Settings.SplitBatchAcrossThreads && threads > 1 && net.Norms.Count == 0 ? threads : 1;

        /// <summary>One SGD step with the batch split into <see cref="TrainingSettings.SplitPartsPerThread"/> contiguous
        /// parts per worker, each part's forward and backward on whichever worker takes it next (libtorch at 1 thread
        /// there). Each part's loss is its NLL sum divided by the batch's size, so the parts' gradients add up to the
        /// whole batch's mean-loss gradient; they are added in part order on this thread, so the step depends neither on
        /// which worker ran a part nor on which finished first.</summary>
        private double SplitStep(ClassifierNetwork net, PartWorkers workers, Tensor order, long start, long size)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, size);
            int parts = (int)Math.Min((long)workers.Count * Settings.SplitPartsPerThread, size);
            var grads = new Tensor[parts][];
            var losses = new double[parts];
            double scale = 1.0 / size;
            try
            {
                workers.Run(parts, p =>
                {
                    long lo = size * p / parts, hi = size * (p + 1) / parts;
                    using var partScope = NewDisposeScope();
                    var part = index.narrow(0, lo, hi - lo);
                    var images = _train.Features.index_select(0, part);
                    var labels = _train.Labels.index_select(0, part);
                    var loss = F.nll_loss(net.forward(images), labels, reduction: nn.Reduction.Sum).mul(scale);
                    var partGrads = autograd.grad(new[] { loss }, _parameters);
                    losses[p] = loss.item<float>();
                    grads[p] = partGrads.Select(g => g.DetachFromDisposeScope()).ToArray();
                });
                // The parts' gradients are this step's own tensors: part 0's takes the sum in place and becomes .grad.
                for (int i = 0; i < _parameters.Length; i++)
                {
                    var sum = grads[0][i];
                    for (int p = 1; p < parts; p++)
                    {
                        sum.add_(grads[p][i]);
                    }
                    _parameters[i].grad = sum;
                }
            }
            finally
            {
                foreach (var part in grads)
                {
                    foreach (var g in part ?? Array.Empty<Tensor>())
                    {
                        g.Dispose();
                    }
                }
            }
            _optimizer.step();
            return losses.Sum();
        }

        private double Step(ClassifierNetwork net, Tensor order, long start, long size)
        {
            using var scope = NewDisposeScope();
            var index = order.narrow(0, start, size);
            var images = _train.Features.index_select(0, index);
            var labels = _train.Labels.index_select(0, index);
            _optimizer.zero_grad();
            var loss = F.nll_loss(net.forward(images), labels);
            loss.backward();
            _optimizer.step();
            return loss.item<float>();
        }
    }
}
