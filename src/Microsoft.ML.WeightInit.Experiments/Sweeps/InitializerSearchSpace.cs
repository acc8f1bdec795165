using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// What a sweep may try: weight initializers, bias initializers (each a list of <see cref="InitializerDomain"/>),
    /// domains for the learning rate, the momentum and the number of epochs, and the network architectures.
    /// </summary>
    /// <remarks>
    /// Text form (<see cref="TextForm"/>, read by <see cref="Parse"/>): entries separated by <c>;</c>, alternatives
    /// separated by <c>|</c> outside parentheses, e.g.
    /// <c>weight=kaiming_uniform(a=0..2.236, mode=fan_in|fan_out) | xavier_uniform(gain=0.5..2) | zeros; bias=zeros;
    /// lr=0.001..0.1:log; momentum=0.5|0.9; epochs=2</c>, or, crossing depth with the initializer,
    /// <c>weight=xavier_normal | kaiming_normal; arch=mlp(depth=10) | mlp(depth=30)</c>. Each alternative of
    /// <c>arch</c> is one <see cref="NetworkArchitecture"/> text form (read by <see cref="NetworkArchitecture.Parse"/>,
    /// kept in canonical form). Entries left out take their defaults: <c>bias=zeros</c> (the seed article's protocol
    /// when comparing schemes), the trainer's learning rate, momentum and epochs, <c>arch=mnist_net</c> (the seed net).
    /// </remarks>
    public sealed class InitializerSearchSpace
    {
        /// <summary>Creates a search space.</summary>
        /// <param name="weights">Weight initializers to try (at least one).</param>
        /// <param name="biases">Bias initializers to try; null or empty is <c>zeros</c>.</param>
        /// <exception cref="ArgumentException">No weight initializer.</exception>
        public InitializerSearchSpace(IEnumerable<InitializerDomain> weights, IEnumerable<InitializerDomain>? biases = null)
        {
            ArgumentNullException.ThrowIfNull(weights);
            Weights = weights.ToList();
            if (Weights.Count == 0)
            {
                throw new ArgumentException("A search space needs at least one weight initializer.", nameof(weights));
            }
            var b = biases?.ToList();
            Biases = b is { Count: > 0 } ? b : new[] { InitializerDomain.Parse("zeros") };
        }

        /// <summary>Weight initializers to try.</summary>
        public IReadOnlyList<InitializerDomain> Weights { get; }

        /// <summary>Bias initializers to try.</summary>
        public IReadOnlyList<InitializerDomain> Biases { get; }

        /// <summary>SGD step sizes to try (values &gt; 0). Default: the trainer's, 0.01.</summary>
        public ParameterDomain LearningRate { get; init; } = ParameterDomain.Fixed(InitCnnTrainer.Defaults.LearningRate);

        /// <summary>SGD momenta to try (values in [0, 1)). Default: the trainer's, 0.5.</summary>
        public ParameterDomain Momentum { get; init; } = ParameterDomain.Fixed(InitCnnTrainer.Defaults.Momentum);

        /// <summary>Epoch budgets to try (whole numbers ≥ 1). Default: the trainer's, 5. Successive halving sets the
        /// budget itself and ignores this.</summary>
        public ParameterDomain NumberOfEpochs { get; init; } = ParameterDomain.Fixed(InitCnnTrainer.Defaults.NumberOfEpochs);

        /// <summary>Networks to try, each once per point of the rest of the space (at least one, each once). Default:
        /// <see cref="NetworkArchitecture.MnistNet"/> only.</summary>
        public IReadOnlyList<NetworkArchitecture> Architectures { get; init; } = new[] { NetworkArchitecture.MnistNet };

        /// <summary>The text form, which <see cref="Parse"/> reads back.</summary>
        public string TextForm =>
            $"weight={string.Join(" | ", Weights)}; bias={string.Join(" | ", Biases)}; lr={LearningRate}; momentum={Momentum}; epochs={NumberOfEpochs}; arch={string.Join(" | ", Architectures.Select(a => a?.TextForm))}";

        /// <summary>Reads a text form (see the remarks).</summary>
        /// <param name="text">The text.</param>
        /// <returns>The search space.</returns>
        /// <exception cref="FormatException">Malformed text, an unknown entry, an invalid initializer or value.</exception>
        public static InitializerSearchSpace Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in TextFormSyntax.SplitTopLevel(text, ";").Select(e => e.Text).Where(e => e.Length > 0))
            {
                int eq = entry.IndexOf('=');
                string key = eq < 0 ? string.Empty : entry[..eq].Trim();
                if (key is not ("weight" or "bias" or "lr" or "momentum" or "epochs" or "arch"))
                {
                    throw new FormatException($"Search space entry '{entry}': expected weight=, bias=, lr=, momentum=, epochs= or arch=.");
                }
                if (!entries.TryAdd(key, entry[(eq + 1)..].Trim()))
                {
                    throw new FormatException($"Search space entry '{key}' is given twice.");
                }
            }
            if (!entries.TryGetValue("weight", out string? weights))
            {
                throw new FormatException($"Search space '{text}' has no weight= entry.");
            }
            var space = new InitializerSearchSpace(Initializers(weights), entries.TryGetValue("bias", out string? b) ? Initializers(b) : null);
            ParameterDomain Domain(string key, ParameterDomain absent) =>
                !entries.TryGetValue(key, out string? t) ? absent
                : ParameterDomain.TryParse(t, out var domain, out string? error) ? domain
                : throw new FormatException($"Search space '{text}': {error}");
            space = new InitializerSearchSpace(space.Weights, space.Biases)
            {
                LearningRate = Domain("lr", space.LearningRate),
                Momentum = Domain("momentum", space.Momentum),
                NumberOfEpochs = Domain("epochs", space.NumberOfEpochs),
                Architectures = entries.TryGetValue("arch", out string? a) ? ArchitecturesOf(a, text) : space.Architectures,
            };
            if (space.Invalid() is { } invalid)
            {
                throw new FormatException($"Search space '{text}': {invalid.Reason}");
            }
            return space;
        }

        /// <summary>Checks the numeric domains (learning rates &gt; 0, momenta in [0, 1), epochs whole numbers ≥ 1) and
        /// the architectures (at least one, none null, none twice).</summary>
        /// <exception cref="ArgumentException">A domain allows an invalid value (the message and
        /// <see cref="ArgumentException.ParamName"/> name its entry: <c>lr</c>, <c>momentum</c>, <c>epochs</c>,
        /// <c>arch</c>).</exception>
        public void Validate()
        {
            if (Invalid() is { } invalid)
            {
                throw new ArgumentException(invalid.Reason, invalid.Name);
            }
        }

        /// <summary>The first domain that allows an invalid value: its entry's name and why, or null.</summary>
        private (string Name, string Reason)? Invalid() =>
            Invalid(LearningRate, "lr", v => v > 0, "> 0")
            ?? Invalid(Momentum, "momentum", v => v >= 0 && v < 1, "in [0, 1)")
            ?? Invalid(NumberOfEpochs, "epochs", v => v >= 1 && v == Math.Floor(v), "a whole number ≥ 1")
            ?? InvalidArchitectures();

        private (string Name, string Reason)? InvalidArchitectures()
        {
            string Text() => $"arch={string.Join(" | ", (Architectures ?? Array.Empty<NetworkArchitecture>()).Select(a => a?.TextForm ?? "(null)"))}";
            return Architectures is not { Count: > 0 } ? ("arch", "arch: a search space needs at least one architecture.")
                : Architectures.Any(a => a is null) ? ("arch", $"{Text()}: an architecture is null.")
                : Architectures.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1) is { } twice
                    ? ("arch", $"{Text()}: {twice.Key.TextForm} is listed twice.")
                : null;
        }

        /// <summary>Draws a candidate: the given weight domain (or a random one), a random bias domain, then every
        /// parameter, the learning rate, the momentum, the epochs and (when there are several) the architecture, in that
        /// order; a space with one architecture draws exactly what it drew before spaces had architectures.</summary>
        /// <param name="random">The tuner's seeded source of randomness.</param>
        /// <param name="weight">The weight domain to use, or null to draw one.</param>
        /// <returns>The candidate.</returns>
        public SweepCandidate Sample(Random random, InitializerDomain? weight = null)
        {
            ArgumentNullException.ThrowIfNull(random);
            weight ??= Weights[random.Next(Weights.Count)];
            string w = weight.Sample(random);
            string b = Biases[random.Next(Biases.Count)].Sample(random);
            double lr = Number(LearningRate.Sample(random)), momentum = Number(Momentum.Sample(random));
            int epochs = (int)Number(EpochDomain.Sample(random));
            var architecture = Architectures.Count == 1 ? Architectures[0] : Architectures[random.Next(Architectures.Count)];
            return new SweepCandidate(w, b, lr, momentum, epochs) { Architecture = architecture.TextForm };
        }

        /// <summary>Every candidate of the grid (architectures slowest, then weights, biases, learning rates, momenta,
        /// epochs).</summary>
        /// <param name="stepsPerRange">Points per range parameter (≥ 1).</param>
        /// <returns>The candidates, without duplicates.</returns>
        public IReadOnlyList<SweepCandidate> Grid(int stepsPerRange)
        {
            var weights = Weights.SelectMany(d => d.Grid(stepsPerRange)).Distinct(StringComparer.Ordinal);
            var biases = Biases.SelectMany(d => d.Grid(stepsPerRange)).Distinct(StringComparer.Ordinal).ToList();
            var rates = LearningRate.GridValues(stepsPerRange).Select(Number).ToList();
            var momenta = Momentum.GridValues(stepsPerRange).Select(Number).ToList();
            var epochs = EpochDomain.GridValues(stepsPerRange).Select(v => (int)Number(v)).ToList();
            return (from a in Architectures
                    from w in weights
                    from b in biases
                    from lr in rates
                    from m in momenta
                    from e in epochs
                    select new SweepCandidate(w, b, lr, m, e) { Architecture = a.TextForm }).Distinct().ToList();
        }

        /// <summary>The text form.</summary>
        /// <returns><see cref="TextForm"/>.</returns>
        public override string ToString() => TextForm;

        private ParameterDomain EpochDomain => NumberOfEpochs.IsRange && !NumberOfEpochs.IsInteger
            ? ParameterDomain.Range(NumberOfEpochs.Low, NumberOfEpochs.High, NumberOfEpochs.LogScale, integer: true)
            : NumberOfEpochs;

        private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

        private static (string Name, string Reason)? Invalid(ParameterDomain domain, string name, Func<double, bool> valid, string expected)
        {
            var values = domain.IsRange ? new[] { domain.Low, domain.High }
                : domain.Values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN);
            return values.All(valid) ? null : (name, $"{name}={domain}: every value must be {expected}.");
        }

        /// <summary>The alternatives of an <c>arch=</c> entry, each read by <see cref="NetworkArchitecture.Parse"/>.</summary>
        /// <exception cref="FormatException">An alternative is empty or not an architecture (the message names
        /// <c>arch</c>).</exception>
        private static List<NetworkArchitecture> ArchitecturesOf(string entry, string space)
        {
            var result = new List<NetworkArchitecture>();
            foreach (string alternative in TextFormSyntax.SplitTopLevel(entry, "|").Select(e => e.Text))
            {
                if (!NetworkArchitecture.TryParse(alternative, out var architecture, out string? error))
                {
                    throw new FormatException($"Search space '{space}': arch={entry}: '{alternative}' is not a network architecture: {error}");
                }
                result.Add(architecture);
            }
            return result;
        }

        private static List<InitializerDomain> Initializers(string text) =>
            TextFormSyntax.SplitTopLevel(text, "|").Select(e => InitializerDomain.Parse(e.Text)).ToList();
    }
}
