using System;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// One point of a search space: weight and bias initializers as canonical text forms, the SGD settings, and the
    /// network trained. Plain data, so it serializes as it is (JSON, CSV) and reads back to the same candidate.
    /// </summary>
    /// <param name="Weight">Text form of the initializer of every weight, e.g. <c>xavier_uniform(gain=1)</c>.</param>
    /// <param name="Bias">Text form of the initializer of every bias, e.g. <c>zeros</c>.</param>
    /// <param name="LearningRate">SGD step size.</param>
    /// <param name="Momentum">SGD momentum.</param>
    /// <param name="NumberOfEpochs">Epochs of a full-budget trial (successive halving stops weak candidates earlier).</param>
    public sealed record SweepCandidate(string Weight, string Bias, double LearningRate, double Momentum, int NumberOfEpochs)
    {
        private readonly string _architecture = NetworkArchitecture.MnistNet.TextForm;

        /// <summary>
        /// The network the candidate trains, as a <see cref="NetworkArchitecture"/> text form, e.g.
        /// <c>mlp(depth=30, width=256, activation=relu)</c>. Default <c>mnist_net</c> (the seed net); null (or a JSON
        /// record without it, such as a trial log written before sweeps had architectures) is <c>mnist_net</c>. A text
        /// form that parses is kept in its canonical form, so <c>mlp(depth=8)</c> and
        /// <c>mlp(width=256, depth=8)</c> are the same candidate; one that does not is kept as given and rejected when a
        /// trial runs (the error names <c>architecture</c>).
        /// </summary>
        public string Architecture
        {
            get => _architecture;
            init => _architecture = value is null ? NetworkArchitecture.MnistNet.TextForm
                : NetworkArchitecture.TryParse(value, out var a, out _) ? a.TextForm : value;
        }

        /// <summary>What identifies the candidate:
        /// <c>weight=…; bias=…; lr=…; momentum=…; epochs=…</c> (the first two entries are an initializer-plan text form),
        /// with <c>arch=…</c> before <c>epochs</c> unless the architecture is <c>mnist_net</c> (so the keys, trial ids
        /// and trial logs of seed-net sweeps are those of the versions before architectures).</summary>
        [JsonIgnore]
        public string Key => $"{TrainingKey}; epochs={NumberOfEpochs.ToString(CultureInfo.InvariantCulture)}";

        /// <summary>The candidate without its epoch budget: what a trial trains with, whatever its number of epochs.</summary>
        internal string TrainingKey =>
            $"weight={Weight}; bias={Bias}; lr={ParameterDomain.Format(LearningRate)}; momentum={ParameterDomain.Format(Momentum)}"
            + (Architecture == NetworkArchitecture.MnistNet.TextForm ? string.Empty : $"; arch={Architecture}");

        /// <summary>The initializers as a plan.</summary>
        /// <returns>The plan (weight and bias for every layer).</returns>
        /// <exception cref="FormatException">A text form does not parse.</exception>
        public InitializerPlan ToPlan() => new(WeightInitializer.Parse(Weight), WeightInitializer.Parse(Bias));

        /// <summary>The network the candidate trains.</summary>
        /// <returns>The parsed <see cref="Architecture"/>.</returns>
        /// <exception cref="FormatException"><see cref="Architecture"/> is not an architecture text form.</exception>
        public NetworkArchitecture ToArchitecture() => NetworkArchitecture.Parse(Architecture);

        /// <summary>Trainer options with this candidate's network, initializers and SGD settings, e.g. to refit the
        /// winner on all the data: <c>mlContext.MulticlassClassification.Trainers.InitCnn(candidate.ToTrainerOptions())</c>.</summary>
        /// <param name="seed">Seed of initialization and shuffling.</param>
        /// <returns>New options (every other setting at its default).</returns>
        /// <exception cref="FormatException">A text form does not parse.</exception>
        public InitCnnTrainer.Options ToTrainerOptions(int seed = InitCnnTrainer.Defaults.Seed) => new()
        {
            WeightInitializer = WeightInitializer.Parse(Weight),
            BiasInitializer = WeightInitializer.Parse(Bias),
            LearningRate = LearningRate,
            Momentum = Momentum,
            NumberOfEpochs = NumberOfEpochs,
            Seed = seed,
            Architecture = ToArchitecture(),
        };

        /// <summary>Checks that <see cref="Architecture"/> is an architecture text form (the initializers are checked
        /// when a trial builds its plan).</summary>
        /// <exception cref="ArgumentException">It is not; <see cref="ArgumentException.ParamName"/> is
        /// <c>Architecture</c> and the message gives the parser's reason.</exception>
        internal void Validate()
        {
            if (!NetworkArchitecture.TryParse(Architecture, out _, out string? error))
            {
                throw new ParameterException($"'{Architecture}' is not a network architecture: {error}", nameof(Architecture));
            }
        }

        /// <summary>The key.</summary>
        /// <returns><see cref="Key"/>.</returns>
        public override string ToString() => Key;
    }
}
