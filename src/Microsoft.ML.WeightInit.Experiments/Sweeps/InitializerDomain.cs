using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// One initializer scheme of a search space with a <see cref="ParameterDomain"/> per parameter, written as an
    /// initializer text form whose values are domains: <c>kaiming_uniform(a=0..2.236, mode=fan_in|fan_out)</c>,
    /// <c>xavier_uniform(gain=0.5..2)</c>, <c>zeros</c>. Parameters left out take the scheme's defaults. Every candidate
    /// it yields is a canonical initializer text form (<see cref="IWeightInitializer.TextForm"/>).
    /// </summary>
    public sealed class InitializerDomain : IEquatable<InitializerDomain>
    {
        private readonly KeyValuePair<string, ParameterDomain>[] _parameters;

        private InitializerDomain(string scheme, KeyValuePair<string, ParameterDomain>[] parameters)
        {
            Scheme = scheme;
            _parameters = parameters;
        }

        /// <summary>The scheme's name, e.g. <c>kaiming_uniform</c>.</summary>
        public string Scheme { get; }

        /// <summary>The parameters given, in the order written, with their domains.</summary>
        public IReadOnlyList<KeyValuePair<string, ParameterDomain>> Parameters => _parameters;

        /// <summary>The text form, which <see cref="Parse"/> reads back.</summary>
        public string TextForm => _parameters.Length == 0
            ? Scheme
            : $"{Scheme}({string.Join(", ", _parameters.Select(p => $"{p.Key}={p.Value.TextForm}"))})";

        /// <summary>Reads a domain such as <c>kaiming_uniform(a=0..2.236, mode=fan_in|fan_out)</c>.</summary>
        /// <param name="text">The text.</param>
        /// <returns>The domain.</returns>
        /// <exception cref="FormatException">The text is malformed, or a value it allows is not a valid initializer
        /// (unknown scheme or parameter, value rejected by the scheme: the message says which).</exception>
        public static InitializerDomain Parse(string text)
        {
            var (scheme, arguments) = TextFormSyntax.Split(text);
            var parameters = new List<KeyValuePair<string, ParameterDomain>>();
            foreach (var (key, value) in arguments)
            {
                parameters.Add(ParameterDomain.TryParse(value, out var parameterDomain, out string? error)
                    ? new(key, parameterDomain)
                    : throw new FormatException($"Invalid initializer domain '{text}': parameter '{key}': {error}"));
            }
            var domain = new InitializerDomain(scheme, parameters.ToArray());
            // Every end of every domain must make a valid initializer (unknown schemes and parameters fail here too).
            foreach (var probe in domain.Probes())
            {
                if (!WeightInitializer.TryParse(probe, out _, out string? error))
                {
                    throw new FormatException($"Invalid initializer domain '{text}': {error}");
                }
            }
            return domain;
        }

        /// <summary>Draws one initializer.</summary>
        /// <param name="random">The tuner's seeded source of randomness.</param>
        /// <returns>Its canonical text form.</returns>
        public string Sample(Random random)
        {
            ArgumentNullException.ThrowIfNull(random);
            return Canonical(_parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.Sample(random))));
        }

        /// <summary>Every initializer of a grid over the parameters (the Cartesian product, first parameter slowest).</summary>
        /// <param name="stepsPerRange">Points per range parameter.</param>
        /// <returns>Canonical text forms, without duplicates.</returns>
        public IReadOnlyList<string> Grid(int stepsPerRange)
        {
            IEnumerable<IEnumerable<KeyValuePair<string, string>>> product = new[] { Enumerable.Empty<KeyValuePair<string, string>>() };
            foreach (var (key, domain) in _parameters)
            {
                var values = domain.GridValues(stepsPerRange);
                product = product.SelectMany(prefix => values.Select(v => prefix.Append(new KeyValuePair<string, string>(key, v))));
            }
            return product.Select(Canonical).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>Equality of text forms.</summary>
        /// <param name="other">The other domain.</param>
        /// <returns>Whether both have the same text form.</returns>
        public bool Equals(InitializerDomain? other) => other is not null && TextForm == other.TextForm;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => Equals(obj as InitializerDomain);

        /// <inheritdoc/>
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(TextForm);

        /// <summary>The text form.</summary>
        /// <returns><see cref="TextForm"/>.</returns>
        public override string ToString() => TextForm;

        private IEnumerable<string> Probes()
        {
            yield return Text(_parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.GridValues(2)[0])));
            yield return Text(_parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.GridValues(2)[^1])));
            foreach (var (key, domain) in _parameters.Where(p => !p.Value.IsRange && p.Value.Values.Count > 2))
            {
                foreach (string value in domain.Values)
                {
                    yield return Text(_parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Key == key ? value : p.Value.GridValues(2)[0])));
                }
            }
        }

        private string Canonical(IEnumerable<KeyValuePair<string, string>> values) => WeightInitializer.Parse(Text(values)).TextForm;

        private string Text(IEnumerable<KeyValuePair<string, string>> values)
        {
            var list = values.ToList();
            return list.Count == 0 ? Scheme : $"{Scheme}({string.Join(", ", list.Select(v => $"{v.Key}={v.Value}"))})";
        }
    }
}
