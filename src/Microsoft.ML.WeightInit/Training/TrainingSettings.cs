using System;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>The protocol of one fit (the seed article's: SGD with momentum on shuffled mini-batches).</summary>
    internal sealed record TrainingSettings
    {
        /// <summary>Passes over the training set (default 5).</summary>
        public int NumberOfEpochs { get; init; } = 5;

        /// <summary>Training images per SGD step (default 64).</summary>
        public int BatchSize { get; init; } = 64;

        /// <summary>Images per forward pass when validating (default 1000, as the article's test loader).</summary>
        public int ValidationBatchSize { get; init; } = 1000;

        /// <summary>SGD step size (default 0.01).</summary>
        public double LearningRate { get; init; } = 0.01;

        /// <summary>SGD momentum (default 0.5).</summary>
        public double Momentum { get; init; } = 0.5;

        /// <summary>Seed of the generator behind initialization and shuffling (default 1, as the PyTorch example).</summary>
        public long Seed { get; init; } = 1;

        /// <summary>The initializer of each (layer, weight/bias); default: PyTorch's own reset everywhere.</summary>
        public InitializerPlan Initialization { get; init; } = InitializerPlan.PyTorchDefault;

        /// <summary>The network trained (default <see cref="NetworkArchitecture.MnistNet"/>, the seed article's net).</summary>
        public NetworkArchitecture Architecture { get; init; } = NetworkArchitecture.MnistNet;

        /// <summary>Convolution path; null picks a verified one (<see cref="ConvolutionPathSelector"/>), with the fused
        /// conv1 + ReLU + max-pool kernel for 1-channel images when it passed its float64 check; a pinned path runs as pinned.</summary>
        public ConvolutionPath? ConvolutionPath { get; init; }

        /// <summary>libtorch intra-op threads; 0 leaves libtorch's default (one per core); more than
        /// <see cref="Environment.ProcessorCount"/> is capped at it (and logged). N &gt; 0 pins N on the thread that runs
        /// each epoch; either way the count that ran is in <see cref="EpochMetrics.NumberOfThreads"/>. OpenMP threads
        /// wait passively (<see cref="TorchRuntime.OpenMpWaitPolicy"/>), which keeps the default fast on a busy machine.</summary>
        public int NumberOfThreads { get; init; }

        /// <summary>Whether each training batch is split into one contiguous part per libtorch thread, every part's
        /// forward and backward on its own worker thread with libtorch at 1 thread, the parts' gradients added in part
        /// order (default true). Measured on 2 cores: the seed net's 64-image step is too small for libtorch's
        /// intra-op threads to share (3,200–4,200 images/s at 2 threads, 3,400–3,500 at 1), while 2 parts of 32
        /// train ~5,300–5,900. Off, or with 1 thread, or for a network with batch normalization (whose statistics are
        /// a batch's), the step is one graph on libtorch's threads.</summary>
        public bool SplitBatchAcrossThreads { get; init; } = true;

        /// <summary>Parts per worker thread when a batch is split (<see cref="SplitBatchAcrossThreads"/>; default 1):
        /// the workers take the parts one after another, so with more parts than workers one slowed down by another
        /// program on its core takes fewer. Measured on 2 cores (bundled sample, 3 interleaved runs): 1 part per thread
        /// trained 4,100–5,500 images/s idle and 2,800–3,300 with one core busy, 2 parts 3,700–4,800 and 2,400–2,700,
        /// 4 parts 3,500–4,100 and 1,900–2,400 — smaller parts cost more than the balancing gains. The results depend on
        /// the number of parts, never on which worker ran one.</summary>
        public int SplitPartsPerThread { get; init; } = 1;

        /// <summary>Checks the values.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A value out of range (the message names it).</exception>
        public void Validate()
        {
            Require(NumberOfEpochs >= 1, nameof(NumberOfEpochs), NumberOfEpochs, "at least 1");
            Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
            Require(ValidationBatchSize >= 1, nameof(ValidationBatchSize), ValidationBatchSize, "at least 1");
            // libtorch converts the step size to the float32 parameters' type: beyond float.MaxValue it throws.
            Require(LearningRate > 0 && LearningRate <= float.MaxValue, nameof(LearningRate), LearningRate, "a positive finite number (at most float32's largest, 3.4E+38)");
            Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "in [0, 1)");
            Require(SplitPartsPerThread >= 1, nameof(SplitPartsPerThread), SplitPartsPerThread, "at least 1");
            Require(NumberOfThreads >= 0, nameof(NumberOfThreads), NumberOfThreads, "0 (libtorch's default) or more");
            ArgumentNullException.ThrowIfNull(Initialization, nameof(Initialization));
            ArgumentNullException.ThrowIfNull(Architecture, nameof(Architecture));
        }

        private static void Require(bool ok, string name, object value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {expected}; got {value}.");
            }
        }
    }
}
