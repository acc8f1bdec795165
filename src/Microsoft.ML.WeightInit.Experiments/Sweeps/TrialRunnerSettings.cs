using System;
using System.Globalization;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The training settings every trial of a sweep shares (what a trial spec does not vary): the part of
    /// <see cref="InitCnnTrainer.Options"/> that a trial request carries to a worker as JSON. A trial trains with the
    /// trainer's options these settings and its spec give (<see cref="TrainerOptions"/>).
    /// </summary>
    public sealed record TrialRunnerSettings
    {
        /// <summary>Label column (a key type). Default <c>Label</c>.</summary>
        public string LabelColumnName { get; init; } = ColumnNames.Label;

        /// <summary>Feature column (a known-size vector of Single). Default <c>Features</c>.</summary>
        public string FeatureColumnName { get; init; } = ColumnNames.Features;

        /// <summary>Training images per SGD step. Default 64.</summary>
        public int BatchSize { get; init; } = InitCnnTrainer.Defaults.BatchSize;

        /// <summary>Images per validation forward pass. Default 1000.</summary>
        public int ValidationBatchSize { get; init; } = InitCnnTrainer.Defaults.ValidationBatchSize;

        /// <summary>Subtracted from every feature value. Default 0.1307 (MNIST).</summary>
        public float NormalizationMean { get; init; } = InitCnnTrainer.Defaults.NormalizationMean;

        /// <summary>Divides every centred feature value. Default 0.3081 (MNIST).</summary>
        public float NormalizationStd { get; init; } = InitCnnTrainer.Defaults.NormalizationStd;

        /// <summary>libtorch intra-op threads; 0 keeps libtorch's default. Default 0.</summary>
        public int NumberOfThreads { get; init; }

        /// <summary>The network every trial trains, as a <see cref="Networks.NetworkArchitecture"/> text form (e.g.
        /// <c>mlp(depth=8, width=256, activation=relu)</c>); null for the seed net (<c>mnist_net</c>). Default null.</summary>
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? Architecture { get; init; }

        /// <summary>The settings that change results, as text (part of <see cref="ITrialRunner.DataDescription"/>).</summary>
        public string TextForm => string.Create(CultureInfo.InvariantCulture,
            $"label={LabelColumnName}, features={FeatureColumnName}, batch={BatchSize}, normalization=({NormalizationMean:R}, {NormalizationStd:R})")
            + (Architecture is null ? string.Empty : $", architecture={Networks.NetworkArchitecture.Parse(Architecture).TextForm}");

        /// <summary>The architecture trials train (<see cref="Networks.NetworkArchitecture.MnistNet"/> when
        /// <see cref="Architecture"/> is null).</summary>
        /// <exception cref="Networks.ArchitectureFormatException"><see cref="Architecture"/> is not a valid text form.</exception>
        internal Networks.NetworkArchitecture NetworkArchitecture =>
            Architecture is null ? Networks.NetworkArchitecture.MnistNet : Networks.NetworkArchitecture.Parse(Architecture);

        /// <summary>The trainer's options of one trial: these settings plus the spec's candidate (initializers, learning
        /// rate, momentum), seed and epochs.</summary>
        /// <param name="spec">The trial.</param>
        /// <returns>New options.</returns>
        internal InitCnnTrainer.Options TrainerOptions(TrialSpec spec)
        {
            var c = spec.Candidate;
            return new InitCnnTrainer.Options
            {
                LabelColumnName = LabelColumnName,
                FeatureColumnName = FeatureColumnName,
                NumberOfEpochs = spec.Epochs,
                BatchSize = BatchSize,
                ValidationBatchSize = ValidationBatchSize,
                LearningRate = c.LearningRate,
                Momentum = c.Momentum,
                NormalizationMean = NormalizationMean,
                NormalizationStd = NormalizationStd,
                Seed = spec.Seed,
                NumberOfThreads = NumberOfThreads,
                Architecture = NetworkArchitecture,
            }.UsePlan(c.ToPlan());
        }

        /// <summary>Checks the values.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A value out of range.</exception>
        public void Validate()
        {
            if (BatchSize < 1 || ValidationBatchSize < 1 || NumberOfThreads < 0)
            {
                throw new ParameterRangeException(nameof(BatchSize), "BatchSize and ValidationBatchSize must be ≥ 1, NumberOfThreads ≥ 0.");
            }
            if (!(NormalizationStd > 0) || !float.IsFinite(NormalizationStd) || !float.IsFinite(NormalizationMean))
            {
                throw new ParameterRangeException(nameof(NormalizationStd), "NormalizationMean must be finite and NormalizationStd finite and > 0.");
            }
            _ = NetworkArchitecture;
        }
    }
}
