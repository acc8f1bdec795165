using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// What <see cref="InitializerComparison"/> trains: which initializers, how many epochs, which seeds, and the
    /// protocol of every run (the seed article's by default: batch 64, SGD lr 0.01, momentum 0.5, 5 epochs).
    /// </summary>
    public sealed record ComparisonOptions
    {
        /// <summary>The seed article's ten weight initializers, in its order.</summary>
        public static IReadOnlyList<string> ArticleInitializers { get; } = new[]
        {
            "pytorch_default", "zeros", "ones", "uniform", "normal",
            "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal",
        };

        /// <summary>Weight initializers as text forms (<see cref="WeightInitializer.Parse(string)"/>), one table column
        /// each, labelled by the text as given. Default: <see cref="ArticleInitializers"/>.</summary>
        public IReadOnlyList<string> Initializers { get; init; } = ArticleInitializers;

        /// <summary>Bias initializer (text form) of every run whose weights are not <c>pytorch_default</c>. Default
        /// <c>zeros</c>: the article zeroes biases to compare weight schemes strictly.</summary>
        public string BiasInitializer { get; init; } = ZerosInitializer.SchemeName;

        /// <summary>Whether the <c>pytorch_default</c> weight row keeps PyTorch's own bias reset U(±1/√fan_in)
        /// instead of <see cref="BiasInitializer"/> (the article's baseline). Default true.</summary>
        public bool PyTorchDefaultKeepsItsBias { get; init; } = true;

        /// <summary>Seeds; every initializer trains once per seed. Default: { 1 }.</summary>
        public IReadOnlyList<long> Seeds { get; init; } = new long[] { 1 };

        /// <summary>Epochs per run (≥ 1). Default 5.</summary>
        public int NumberOfEpochs { get; init; } = InitCnnTrainer.Defaults.NumberOfEpochs;

        /// <summary>Training images per SGD step (≥ 1). Default 64.</summary>
        public int BatchSize { get; init; } = InitCnnTrainer.Defaults.BatchSize;

        /// <summary>Test images per forward pass (≥ 1). Default 1000.</summary>
        public int ValidationBatchSize { get; init; } = InitCnnTrainer.Defaults.ValidationBatchSize;

        /// <summary>SGD step size (&gt; 0). Default 0.01.</summary>
        public double LearningRate { get; init; } = InitCnnTrainer.Defaults.LearningRate;

        /// <summary>SGD momentum in [0, 1). Default 0.5.</summary>
        public double Momentum { get; init; } = InitCnnTrainer.Defaults.Momentum;

        /// <summary>Subtracted from every pixel value before the network. Default 0.1307 (MNIST).</summary>
        public float NormalizationMean { get; init; } = InitCnnTrainer.Defaults.NormalizationMean;

        /// <summary>Divides every centred pixel value (&gt; 0). Default 0.3081 (MNIST).</summary>
        public float NormalizationStd { get; init; } = InitCnnTrainer.Defaults.NormalizationStd;

        /// <summary>libtorch intra-op threads; 0 leaves libtorch's default (one per core). Default 0.</summary>
        public int NumberOfThreads { get; init; }

        /// <summary>Label column of the data views: a key type (use <c>MapValueToKey</c>). Default <c>Label</c>.</summary>
        public string LabelColumnName { get; init; } = ColumnNames.Label;

        /// <summary>Feature column of the data views: a known-size vector of Single. Default <c>Features</c>.</summary>
        public string FeatureColumnName { get; init; } = ColumnNames.Features;

        /// <summary>The network every run trains. Default <see cref="NetworkArchitecture.MnistNet"/> (the article's net).</summary>
        public NetworkArchitecture Architecture { get; init; } = NetworkArchitecture.MnistNet;

        /// <summary>Training loss L (NLL, nats) of the "steps to reach loss L" column: the first SGD step at which the
        /// mean training loss of the last <see cref="LossWindow"/> batches is ≤ L. Default 0.5.</summary>
        public double LossThreshold { get; init; } = 0.5;

        /// <summary>Batches averaged for <see cref="LossThreshold"/> (≥ 1). Default 50.</summary>
        public int LossWindow { get; init; } = 50;

        /// <summary>When a run that trained every epoch counts as stuck. Default <see cref="LearningCriterion.Default"/>.</summary>
        public LearningCriterion LearningCriterion { get; init; } = LearningCriterion.Default;

        /// <summary>The protocol of one run.</summary>
        /// <param name="seed">The run's seed.</param>
        /// <param name="plan">The run's initializers.</param>
        /// <returns>The training settings.</returns>
        public TrainingSettings TrainingSettings(long seed, InitializerPlan plan) => new()
        {
            NumberOfEpochs = NumberOfEpochs,
            BatchSize = BatchSize,
            ValidationBatchSize = ValidationBatchSize,
            LearningRate = LearningRate,
            Momentum = Momentum,
            Seed = seed,
            NumberOfThreads = NumberOfThreads,
            Initialization = plan,
            Architecture = Architecture,
        };

        /// <summary>Parses every initializer and checks every value.</summary>
        /// <returns>(label, weight initializer, bias initializer) per column, in order.</returns>
        /// <exception cref="FormatException">An initializer text does not parse (the message names it and lists the
        /// known schemes).</exception>
        /// <exception cref="ArgumentException">No initializer or seed, a repeated label or seed, or a value out of range
        /// (epochs, batch sizes, learning rate, momentum, threads, normalization).</exception>
        public IReadOnlyList<(string Label, IWeightInitializer Weight, IWeightInitializer Bias)> ResolveInitializers()
        {
            if (Initializers is null || Initializers.Count == 0)
            {
                throw new ArgumentException("At least one initializer is needed.", nameof(Initializers));
            }
            if (Seeds is null || Seeds.Count == 0)
            {
                throw new ArgumentException("At least one seed is needed.", nameof(Seeds));
            }
            if (Seeds.Distinct().Count() != Seeds.Count)
            {
                throw new ArgumentException($"Seeds repeat: {string.Join(", ", Seeds)}.", nameof(Seeds));
            }
            var labels = Initializers.Select(t => (t ?? string.Empty).Trim()).ToList();
            var repeated = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
            {
                throw new ArgumentException($"Initializer '{repeated.Key}' is listed twice.", nameof(Initializers));
            }
            if (!(NormalizationStd > 0) || !float.IsFinite(NormalizationStd) || !float.IsFinite(NormalizationMean))
            {
                throw new ArgumentOutOfRangeException(nameof(NormalizationStd), NormalizationStd,
                    "NormalizationMean must be finite and NormalizationStd finite and > 0.");
            }
            TrainingSettings(1, InitializerPlan.PyTorchDefault).Validate();
            if (!(LossThreshold > 0) || !double.IsFinite(LossThreshold))
            {
                throw new ArgumentOutOfRangeException(nameof(LossThreshold), LossThreshold, "LossThreshold must be a positive finite loss (nats).");
            }
            if (LossWindow < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(LossWindow), LossWindow, "LossWindow must be at least 1 batch.");
            }
            var bias = WeightInitializer.Parse(BiasInitializer);
            return labels.Select(label =>
            {
                var weight = WeightInitializer.Parse(label);
                IWeightInitializer b = PyTorchDefaultKeepsItsBias && weight is PyTorchDefaultInitializer ? weight : bias;
                return (label, (IWeightInitializer)weight, b);
            }).ToList();
        }
    }
}
