using System;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The training settings every trial of a sweep shares (what a trial spec does not vary): the part of
    /// <see cref="InitCnnTrainer.Options"/> that a trial request carries to a worker as JSON. A trial trains with the
    /// trainer's options these settings and its spec give (<see cref="TrainerOptions"/>); the network is the
    /// candidate's (<see cref="SweepCandidate.Architecture"/>, a dimension of the search space).
    /// </summary>
    /// <remarks>Reading JSON with a member these settings do not have is an error (a request from a driver of another
    /// version, e.g. one that sent the architecture here, is refused rather than trained on another network).</remarks>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
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

        /// <summary>The settings that change results, as text (part of <see cref="ITrialRunner.DataDescription"/>).</summary>
        public string TextForm => string.Create(CultureInfo.InvariantCulture,
            $"label={LabelColumnName}, features={FeatureColumnName}, batch={BatchSize}, normalization=({NormalizationMean:R}, {NormalizationStd:R})");

        /// <summary>The trainer's options of one trial: these settings plus the spec's candidate (network, initializers,
        /// learning rate, momentum), seed and epochs.</summary>
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
                Architecture = c.ToArchitecture(),
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
        }
    }
}
