using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;

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

        /// <summary>
        /// The protocol of every run, as for one fit of the trainer: epochs, batch sizes, learning rate, momentum,
        /// normalization, threads, columns, convolution path, per-layer overrides (the seed article's protocol by
        /// default: 5 epochs, batch 64, SGD lr 0.01, momentum 0.5). Each run copies it and sets its own
        /// <see cref="InitCnnTrainer.Options.Seed"/>, <see cref="InitCnnTrainer.Options.WeightInitializer"/> and
        /// <see cref="InitCnnTrainer.Options.BiasInitializer"/> (from <see cref="Seeds"/> and <see cref="Initializers"/>),
        /// scores the test data after every epoch (<see cref="InitCnnTrainer.Options.ValidationSet"/> is not used) and
        /// reports through the comparison's progress and cancellation (those of the options are not used).
        /// </summary>
        public InitCnnTrainer.Options TrainerOptions { get; init; } = new();


        /// <summary>Training loss L (NLL, nats) of the "steps to reach loss L" column: the first SGD step at which the
        /// mean training loss of the last <see cref="LossWindow"/> batches is ≤ L. Default 0.5.</summary>
        public double LossThreshold { get; init; } = 0.5;

        /// <summary>Batches averaged for <see cref="LossThreshold"/> (≥ 1). Default 50.</summary>
        public int LossWindow { get; init; } = 50;

        /// <summary>When a run that trained every epoch counts as stuck. Default <see cref="LearningCriterion.Default"/>.</summary>
        public LearningCriterion LearningCriterion { get; init; } = LearningCriterion.Default;

        /// <summary>
        /// Runs trained at once, each on a thread of its own taking the next planned run: 0 (the default) = one per
        /// core (<see cref="Environment.ProcessorCount"/>), 1 = one after another on the calling thread, N &gt; 1 = at
        /// most N; never more than the planned runs (initializers × seeds). With more than one at once, each run's
        /// <see cref="InitCnnTrainer.Options.NumberOfThreads"/> is max(1, cores / runs at once) unless
        /// <see cref="TrainerOptions"/> pins it (&gt; 0), which is kept (the log says so when threads × runs exceed
        /// the cores). Results stay in planned order, and progress is then reported from the worker threads, one
        /// report at a time (serialized). A run seeds its own generator, so with the same libtorch thread count its
        /// result does not depend on this value (a different thread count may change the last bits of reductions).
        /// Negative values make <see cref="ResolveInitializers"/> throw <see cref="ArgumentOutOfRangeException"/>.
        /// </summary>
        public int MaxConcurrentRuns { get; init; }

        /// <summary>Runs trained at once for <paramref name="planned"/> runs: <see cref="MaxConcurrentRuns"/> (0 = the
        /// cores) capped at the planned runs, at least 1.</summary>
        /// <param name="planned">Runs planned.</param>
        /// <returns>The effective concurrency.</returns>
        internal int ConcurrencyFor(int planned) =>
            Math.Max(1, Math.Min(MaxConcurrentRuns == 0 ? Environment.ProcessorCount : MaxConcurrentRuns, planned));

        /// <summary>libtorch threads of each run when <paramref name="concurrency"/> runs train at once: null for one at a
        /// time (<see cref="TrainerOptions"/> as given), else the pinned <see cref="InitCnnTrainer.Options.NumberOfThreads"/>
        /// or max(1, cores / <paramref name="concurrency"/>).</summary>
        /// <param name="concurrency">Runs at once (<see cref="ConcurrencyFor"/>).</param>
        /// <returns>The count, or null.</returns>
        internal int? ThreadsPerRun(int concurrency) =>
            concurrency <= 1 ? null
            : TrainerOptions.NumberOfThreads > 0 ? TrainerOptions.NumberOfThreads
            : Math.Max(1, Environment.ProcessorCount / concurrency);

        /// <summary>The lines that say how <paramref name="concurrency"/> runs share the cores: runs at once and libtorch
        /// threads each, then, when threads × runs exceed the cores, that they share them.</summary>
        /// <param name="concurrency">Runs at once (<see cref="ConcurrencyFor"/>).</param>
        /// <param name="pinnedBy">What pins the threads, as the caller's user knows it (an option or property name).</param>
        /// <returns>One or two lines.</returns>
        internal IReadOnlyList<string> DescribeConcurrency(int concurrency, string pinnedBy)
        {
            int threads = ThreadsPerRun(concurrency) ?? TrainerOptions.NumberOfThreads;
            string each = threads > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{threads} libtorch thread{(threads == 1 ? "" : "s")} each")
                : "libtorch's default threads (one per core)";
            string pinned = TrainerOptions.NumberOfThreads > 0 && concurrency > 1 ? $" (pinned by {pinnedBy})" : "";
            var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"Runs: {concurrency} at once, {each}{pinned}.") };
            if (threads * concurrency > Environment.ProcessorCount)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{threads} threads × {concurrency} runs exceed the {Environment.ProcessorCount} cores; the runs share them."));
            }
            return lines;
        }

        /// <summary>The trainer's options of one run: <see cref="TrainerOptions"/> with the run's seed and initializers.</summary>
        /// <param name="seed">The run's seed.</param>
        /// <param name="weight">The run's weight initializer.</param>
        /// <param name="bias">The run's bias initializer.</param>
        /// <returns>A copy of <see cref="TrainerOptions"/>.</returns>
        internal InitCnnTrainer.Options RunOptions(long seed, IWeightInitializer weight, IWeightInitializer bias)
        {
            var o = (TrainerOptions ?? throw new ArgumentNullException(nameof(TrainerOptions))).Clone();
            o.Seed = checked((int)seed);
            o.WeightInitializer = weight;
            o.BiasInitializer = bias;
            o.ValidationSet = null;
            o.Progress = null;
            o.CancellationToken = default;
            return o;
        }

        /// <summary>Parses every initializer and checks every value.</summary>
        /// <returns>(label, weight initializer, bias initializer) per column, in order.</returns>
        /// <exception cref="FormatException">An initializer text does not parse (the message names it and lists the
        /// known schemes).</exception>
        /// <exception cref="ArgumentException">No initializer or seed, a repeated label or seed, or a value out of range
        /// (epochs, batch sizes, learning rate, momentum, threads, normalization, a negative
        /// <see cref="MaxConcurrentRuns"/>).</exception>
        public IReadOnlyList<(string Label, IWeightInitializer Weight, IWeightInitializer Bias)> ResolveInitializers()
        {
            if (Initializers is null || Initializers.Count == 0)
            {
                throw new ArgumentException("At least one initializer is needed.", nameof(Initializers));
            }
            if (Seeds is null || Seeds.Count == 0)
            {
                throw new ParameterException("At least one seed is needed.", nameof(Seeds));
            }
            if (Seeds.Distinct().Count() != Seeds.Count)
            {
                throw new ParameterException($"Seeds repeat: {string.Join(", ", Seeds)}.", nameof(Seeds));
            }
            var labels = Initializers.Select(t => (t ?? string.Empty).Trim()).ToList();
            var repeated = labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
            {
                throw new ArgumentException($"Initializer '{repeated.Key}' is listed twice.", nameof(Initializers));
            }
            if (Seeds.FirstOrDefault(seed => seed is < int.MinValue or > int.MaxValue) is var big && big != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Seeds), big, $"Seeds must fit the trainer's Options.Seed (a 32-bit integer); got {big}.");
            }
            var trainer = TrainerOptions ?? throw new ArgumentNullException(nameof(TrainerOptions));
            if (!(trainer.NormalizationStd > 0) || !float.IsFinite(trainer.NormalizationStd) || !float.IsFinite(trainer.NormalizationMean))
            {
                throw new ArgumentOutOfRangeException(nameof(InitCnnTrainer.Options.NormalizationStd), trainer.NormalizationStd,
                    "NormalizationMean must be finite and NormalizationStd finite and > 0.");
            }
            InitCnnTrainer.SettingsOf(RunOptions(1, InitializerPlan.PyTorchDefault.Weight, InitializerPlan.PyTorchDefault.Bias)).Validate();
            if (!(LossThreshold > 0) || !double.IsFinite(LossThreshold))
            {
                throw new ArgumentOutOfRangeException(nameof(LossThreshold), LossThreshold, "LossThreshold must be a positive finite loss (nats).");
            }
            if (LossWindow < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(LossWindow), LossWindow, "LossWindow must be at least 1 batch.");
            }
            if (MaxConcurrentRuns < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRuns), MaxConcurrentRuns,
                    "MaxConcurrentRuns must be 0 (one run per core), 1 (one after another) or more.");
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
