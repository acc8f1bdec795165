using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Everything that defines one trial, apart from the data: the candidate, the seed, the evaluation split and fold,
    /// and the epochs to train. Trials are independent; a trial with the same <see cref="Id"/> gives the same result
    /// wherever it runs (same data, same libtorch thread count).
    /// </summary>
    /// <param name="Candidate">Initializers and SGD settings.</param>
    /// <param name="Seed">Seed of initialization and shuffling.</param>
    /// <param name="Evaluation">How the data is split for scoring.</param>
    /// <param name="Fold">0-based fold (always 0 unless cross-validating).</param>
    /// <param name="Epochs">Epochs to train (the trial's budget).</param>
    /// <param name="Rung">Rung of successive halving (0 for grid and random).</param>
    /// <param name="ContinuesFromEpochs">Epochs of an earlier trial of the same candidate, seed and fold that this one
    /// may continue instead of starting over (0: none). The result is the same either way; only the cost differs.</param>
    public sealed record TrialSpec(SweepCandidate Candidate, int Seed, SweepEvaluation Evaluation, int Fold, int Epochs,
        int Rung = 0, int ContinuesFromEpochs = 0)
    {
        /// <summary>What identifies the trial's result: the candidate's initializers, SGD settings and network (see
        /// <see cref="SweepCandidate.Key"/>: nothing for <c>mnist_net</c>), seed, evaluation, fold and epochs (not the
        /// rung, nor where it continues from).</summary>
        [JsonIgnore]
        public string Key => string.Create(CultureInfo.InvariantCulture,
            $"{Candidate.TrainingKey}; seed={Seed}; eval={Evaluation.TextForm}; fold={Fold}; epochs={Epochs}");

        /// <summary>Short stable id of <see cref="Key"/> (16 hex digits of its SHA-256).</summary>
        [JsonIgnore]
        public string Id => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)))[..16];

        /// <summary>The trial this one continues (same everything, <see cref="ContinuesFromEpochs"/> epochs), or null.</summary>
        /// <returns>The earlier trial's spec.</returns>
        public TrialSpec? Predecessor() =>
            ContinuesFromEpochs > 0 && ContinuesFromEpochs < Epochs ? this with { Epochs = ContinuesFromEpochs, Rung = Math.Max(0, Rung - 1), ContinuesFromEpochs = 0 } : null;

        /// <summary>Checks the values.</summary>
        /// <exception cref="ArgumentException">A value out of range.</exception>
        public void Validate()
        {
            ArgumentNullException.ThrowIfNull(Candidate, nameof(Candidate));
            ArgumentNullException.ThrowIfNull(Evaluation, nameof(Evaluation));
            Candidate.Validate();
            Evaluation.Validate();
            if (Epochs < 1)
            {
                throw new ParameterRangeException(nameof(Epochs), Epochs, "A trial trains at least 1 epoch.");
            }
            if (Fold < 0 || Fold >= Evaluation.Folds)
            {
                throw new ParameterRangeException(nameof(Fold), Fold, $"Fold must be in [0, {Evaluation.Folds}).");
            }
            if (ContinuesFromEpochs < 0 || ContinuesFromEpochs >= Epochs && ContinuesFromEpochs != 0)
            {
                throw new ParameterRangeException(nameof(ContinuesFromEpochs), ContinuesFromEpochs, "Must be 0 or fewer than Epochs.");
            }
        }

        /// <summary>The key.</summary>
        /// <returns><see cref="Key"/>.</returns>
        public override string ToString() => Key;
    }
}
