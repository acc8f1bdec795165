using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The <c>key=value</c> arguments of one text form, read by a scheme's factory. Every read records the key as
    /// valid, so an unknown key is reported with the list of keys the scheme takes.
    /// </summary>
    internal sealed class TextFormArguments
    {
        private readonly string _scheme;
        private readonly string _text;
        private readonly Dictionary<string, string> _values;
        private readonly List<string> _known = new();

        public TextFormArguments(string scheme, string text, IEnumerable<KeyValuePair<string, string>> values)
        {
            _scheme = scheme;
            _text = text;
            _values = values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        }

        public double Double(string key, double defaultValue)
        {
            _known.Add(key);
            if (!_values.TryGetValue(key, out string? text))
            {
                return defaultValue;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw Error($"{key}={text} is not a number");
            }
            return value;
        }

        public double RequiredDouble(string key)
        {
            _known.Add(key);
            return _values.ContainsKey(key) ? Double(key, 0) : throw Error($"parameter '{key}' is required");
        }

        public double? OptionalDouble(string key)
        {
            _known.Add(key);
            return _values.ContainsKey(key) ? Double(key, 0) : null;
        }

        public long Long(string key, long defaultValue)
        {
            _known.Add(key);
            if (!_values.TryGetValue(key, out string? text))
            {
                return defaultValue;
            }
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                throw Error($"{key}={text} is not an integer");
            }
            return value;
        }

        public FanMode FanMode(string key, FanMode defaultValue) =>
            Word(key, defaultValue, t => TextNames.ParseFanMode(t, key));

        public Nonlinearity Nonlinearity(string key, Nonlinearity defaultValue) =>
            Word(key, defaultValue, t => TextNames.ParseNonlinearity(t, key));

        public VarianceScalingMode VarianceScalingMode(string key, VarianceScalingMode defaultValue) =>
            Word(key, defaultValue, t => TextNames.ParseVarianceScalingMode(t, key));

        public VarianceScalingDistribution Distribution(string key, VarianceScalingDistribution defaultValue) =>
            Word(key, defaultValue, t => TextNames.ParseDistribution(t, key));

        public string Word(string key, string defaultValue, IReadOnlyCollection<string> valid)
        {
            return Word(key, defaultValue, t => valid.Contains(t)
                ? t
                : throw new ArgumentException($"Unsupported {key} '{t}'. Valid: {string.Join(", ", valid)}.", key));
        }

        private T Word<T>(string key, T defaultValue, Func<string, T> parse)
        {
            _known.Add(key);
            if (!_values.TryGetValue(key, out string? text))
            {
                return defaultValue;
            }
            try
            {
                return parse(text);
            }
            catch (ArgumentException e)
            {
                throw Error(e.Message.Split(" (Parameter")[0]);
            }
        }

        /// <summary>Throws if an argument was given that the scheme did not read.</summary>
        public void EnsureAllKnown()
        {
            foreach (string key in _values.Keys)
            {
                if (!_known.Contains(key))
                {
                    string valid = _known.Count == 0 ? "none" : string.Join(", ", _known);
                    throw Error($"unknown parameter '{key}'; {_scheme} takes: {valid}");
                }
            }
        }

        /// <summary>The error of this text form: <paramref name="what"/> (with or without a final period, e.g. another
        /// exception's message) ends the message with exactly one period.</summary>
        public FormatException Error(string what) =>
            new FormatException($"Invalid initializer '{_text}': {what.TrimEnd('.')}.");
    }
}
