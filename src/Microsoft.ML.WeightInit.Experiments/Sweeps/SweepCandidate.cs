using System;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// One point of a search space: weight and bias initializers as canonical text forms, and the SGD settings. Plain
    /// data, so it serializes as it is (JSON, CSV) and reads back to the same candidate.
    /// </summary>
    /// <param name="Weight">Text form of the initializer of every weight, e.g. <c>xavier_uniform(gain=1)</c>.</param>
    /// <param name="Bias">Text form of the initializer of every bias, e.g. <c>zeros</c>.</param>
    /// <param name="LearningRate">SGD step size.</param>
    /// <param name="Momentum">SGD momentum.</param>
    /// <param name="NumberOfEpochs">Epochs of a full-budget trial (successive halving stops weak candidates earlier).</param>
    public sealed record SweepCandidate(string Weight, string Bias, double LearningRate, double Momentum, int NumberOfEpochs)
    {
        /// <summary>What identifies the candidate:
        /// <c>weight=…; bias=…; lr=…; momentum=…; epochs=…</c> (the first two entries are an initializer-plan text form).</summary>
        [JsonIgnore]
        public string Key => $"{TrainingKey}; epochs={NumberOfEpochs.ToString(CultureInfo.InvariantCulture)}";

        /// <summary>The candidate without its epoch budget: what a trial trains with, whatever its number of epochs.</summary>
        internal string TrainingKey =>
            $"weight={Weight}; bias={Bias}; lr={ParameterDomain.Format(LearningRate)}; momentum={ParameterDomain.Format(Momentum)}";

        /// <summary>The initializers as a plan.</summary>
        /// <returns>The plan (weight and bias for every layer).</returns>
        /// <exception cref="FormatException">A text form does not parse.</exception>
        public InitializerPlan ToPlan() => new(WeightInitializer.Parse(Weight), WeightInitializer.Parse(Bias));

        /// <summary>Trainer options with this candidate's initializers and SGD settings, e.g. to refit the winner on
        /// all the data: <c>mlContext.MulticlassClassification.Trainers.InitCnn(candidate.ToTrainerOptions())</c>.</summary>
        /// <param name="seed">Seed of initialization and shuffling.</param>
        /// <returns>New options (every other setting at its default).</returns>
        public InitCnnTrainer.Options ToTrainerOptions(int seed = InitCnnTrainer.Defaults.Seed) => new()
        {
            WeightInitializer = WeightInitializer.Parse(Weight),
            BiasInitializer = WeightInitializer.Parse(Bias),
            LearningRate = LearningRate,
            Momentum = Momentum,
            NumberOfEpochs = NumberOfEpochs,
            Seed = seed,
        };

        /// <summary>The key.</summary>
        /// <returns><see cref="Key"/>.</returns>
        public override string ToString() => Key;
    }
}
