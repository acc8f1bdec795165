using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The values one parameter of a search space may take, written as text: a fixed value (<c>0.01</c>,
    /// <c>fan_out</c>), a choice (<c>fan_in|fan_out</c>, <c>0.5|0.9</c>), or a range <c>low..high</c> sampled uniformly,
    /// with <c>:log</c> for log-uniform (<c>0.001..0.1:log</c>) and <c>:int</c> for whole numbers (<c>1..4:int</c>).
    /// </summary>
    /// <remarks>
    /// Values drawn from a range are rounded to 4 significant digits, so candidates read well in a leaderboard and
    /// their text forms stay short. A grid takes every value of a choice and <c>stepsPerRange</c> evenly spaced
    /// points of a range (in log space with <c>:log</c>), ends included.
    /// </remarks>
    public sealed class ParameterDomain : IEquatable<ParameterDomain>
    {
        private readonly string[] _values;

        private ParameterDomain(string[] values, double low, double high, bool isRange, bool logScale, bool integer)
        {
            _values = values;
            Low = low;
            High = high;
            IsRange = isRange;
            LogScale = logScale;
            IsInteger = integer;
        }

        /// <summary>The values of a choice (one for a fixed value); empty for a range.</summary>
        public IReadOnlyList<string> Values => _values;

        /// <summary>Whether this is a range <c>low..high</c> rather than a list of values.</summary>
        public bool IsRange { get; }

        /// <summary>Lower end of a range.</summary>
        public double Low { get; }

        /// <summary>Upper end of a range.</summary>
        public double High { get; }

        /// <summary>Whether a range is sampled log-uniformly (<c>:log</c>).</summary>
        public bool LogScale { get; }

        /// <summary>Whether a range holds whole numbers only (<c>:int</c>).</summary>
        public bool IsInteger { get; }

        /// <summary>The text form, which <see cref="Parse"/> reads back.</summary>
        public string TextForm => IsRange
            ? $"{Format(Low)}..{Format(High)}{(IsInteger ? ":int" : string.Empty)}{(LogScale ? ":log" : string.Empty)}"
            : string.Join("|", _values);

        /// <summary>A single value.</summary>
        /// <param name="value">The value (a number, formatted invariantly, or a word).</param>
        /// <returns>The domain.</returns>
        public static ParameterDomain Fixed(object value) => Choice(value);

        /// <summary>A choice between values.</summary>
        /// <param name="values">Numbers (formatted invariantly) or words.</param>
        /// <returns>The domain.</returns>
        /// <exception cref="ArgumentException">No values, or a value with <c>|</c>, <c>,</c>, <c>;</c> or parentheses.</exception>
        public static ParameterDomain Choice(params object[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            return Parse(string.Join("|", values.Select(v => v switch
            {
                double d => Format(d),
                float f => Format(f),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                _ => v?.ToString() ?? string.Empty,
            })));
        }

        /// <summary>A range sampled uniformly (or log-uniformly).</summary>
        /// <param name="low">Lower end.</param>
        /// <param name="high">Upper end (≥ <paramref name="low"/>).</param>
        /// <param name="logScale">Sample log-uniformly (both ends must be &gt; 0).</param>
        /// <param name="integer">Whole numbers only.</param>
        /// <returns>The domain.</returns>
        /// <exception cref="ArgumentException">The ends are not finite, reversed, or not positive on a log scale.</exception>
        public static ParameterDomain Range(double low, double high, bool logScale = false, bool integer = false) =>
            Check(low, high, logScale, integer, $"{Format(low)}..{Format(high)}") is { } error
                ? throw new ArgumentException(error, "text")
                : new ParameterDomain(Array.Empty<string>(), low, high, true, logScale, integer);

        /// <summary>Reads a text form (see the class remarks).</summary>
        /// <param name="text">E.g. <c>0.01</c>, <c>fan_in|fan_out</c>, <c>0.001..0.1:log</c>, <c>1..4:int</c>.</param>
        /// <returns>The domain.</returns>
        /// <exception cref="ArgumentException">The text is empty or malformed (the message quotes it).</exception>
        public static ParameterDomain Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return TryParse(text, out var domain, out string? error) ? domain : throw new ArgumentException(error, nameof(text));
        }

        /// <summary>Like <see cref="Parse"/>, returning the reason instead of throwing.</summary>
        /// <param name="text">The text.</param>
        /// <param name="domain">The domain, or null.</param>
        /// <param name="error">What is wrong (quotes the text; ends with a period), or null.</param>
        /// <returns>Whether the text is a domain.</returns>
        internal static bool TryParse(string text, [NotNullWhen(true)] out ParameterDomain? domain, [NotNullWhen(false)] out string? error)
        {
            domain = null;
            string s = text.Trim();
            if (s.Length == 0 || s.IndexOfAny(new[] { ',', ';', '(', ')', '=' }) >= 0)
            {
                error = $"'{text}' is not a parameter domain: expected a value, a choice a|b|c, or a range low..high (optionally :log, :int).";
                return false;
            }
            int dots = s.IndexOf("..", StringComparison.Ordinal);
            if (dots < 0)
            {
                var values = TextFormSyntax.SplitTopLevel(s, "|").Select(v => v.Text).ToArray();
                error = values.Any(v => v.Length == 0) ? $"'{text}': a choice has an empty value."
                    : values.Distinct(StringComparer.Ordinal).Count() != values.Length ? $"'{text}': a choice lists a value twice."
                    : null;
                domain = error is null ? new ParameterDomain(values, double.NaN, double.NaN, false, false, false) : null;
                return error is null;
            }
            var parts = s.Split(':').Select(p => p.Trim()).ToArray();
            var flags = parts.Skip(1).ToList();
            if (flags.Any(f => f != "log" && f != "int") || flags.Distinct().Count() != flags.Count)
            {
                error = $"'{text}': a range takes the suffixes :log and :int only.";
                return false;
            }
            var ends = parts[0].Split("..");
            if (ends.Length != 2 || !TryNumber(ends[0], out double low) || !TryNumber(ends[1], out double high))
            {
                error = $"'{text}': a range is low..high with two numbers.";
                return false;
            }
            error = Check(low, high, flags.Contains("log"), flags.Contains("int"), text);
            domain = error is null ? new ParameterDomain(Array.Empty<string>(), low, high, true, flags.Contains("log"), flags.Contains("int")) : null;
            return error is null;
        }

        /// <summary>Draws one value.</summary>
        /// <param name="random">The source of randomness (seeded by the tuner).</param>
        /// <returns>The value as text (numbers invariant, shortest round-trip form).</returns>
        public string Sample(Random random)
        {
            ArgumentNullException.ThrowIfNull(random);
            if (!IsRange)
            {
                return _values.Length == 1 ? _values[0] : _values[random.Next(_values.Length)];
            }
            if (IsInteger)
            {
                long lo = (long)Math.Ceiling(Low), hi = (long)Math.Floor(High);
                return LogScale
                    ? Format(Math.Clamp(Math.Round(Math.Exp(Lerp(Math.Log(lo), Math.Log(hi), random.NextDouble()))), lo, hi))
                    : Format(lo + random.NextInt64(hi - lo + 1));
            }
            double u = random.NextDouble();
            return Format(Round4(LogScale ? Math.Exp(Lerp(Math.Log(Low), Math.Log(High), u)) : Lerp(Low, High, u)));
        }

        /// <summary>The values a grid takes: every value of a choice, or evenly spaced points of a range.</summary>
        /// <param name="stepsPerRange">Points per range (≥ 1; one point is the range's middle).</param>
        /// <returns>The values as text, without duplicates, in increasing order for a range.</returns>
        public IReadOnlyList<string> GridValues(int stepsPerRange)
        {
            if (stepsPerRange < 1)
            {
                throw new ParameterRangeException(nameof(stepsPerRange), stepsPerRange, "A grid needs at least one point per range.");
            }
            if (!IsRange)
            {
                return _values;
            }
            double a = LogScale ? Math.Log(Low) : Low, b = LogScale ? Math.Log(High) : High;
            var points = Enumerable.Range(0, stepsPerRange)
                .Select(i => stepsPerRange == 1 ? (a + b) / 2 : Lerp(a, b, (double)i / (stepsPerRange - 1)))
                .Select(x => LogScale ? Math.Exp(x) : x)
                .Select(x => IsInteger ? Math.Clamp(Math.Round(x), Math.Ceiling(Low), Math.Floor(High)) : Round4(x));
            return points.Select(Format).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>Equality of text forms.</summary>
        /// <param name="other">The other domain.</param>
        /// <returns>Whether both have the same text form.</returns>
        public bool Equals(ParameterDomain? other) => other is not null && TextForm == other.TextForm;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => Equals(obj as ParameterDomain);

        /// <inheritdoc/>
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(TextForm);

        /// <summary>The text form.</summary>
        /// <returns><see cref="TextForm"/>.</returns>
        public override string ToString() => TextForm;

        /// <summary>A number as text forms write it: invariant culture, shortest round-trip form.</summary>
        /// <param name="value">The number.</param>
        /// <returns>The text.</returns>
        internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private static bool TryNumber(string text, out double value) =>
            double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

        private static double Lerp(double a, double b, double t) => a + (b - a) * t;

        private static double Round4(double value) =>
            double.Parse(value.ToString("G4", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

        /// <summary>What is wrong with a range, or null.</summary>
        private static string? Check(double low, double high, bool logScale, bool integer, string text) =>
            !double.IsFinite(low) || !double.IsFinite(high) || low > high ? $"'{text}': a range needs finite ends with low ≤ high."
            : logScale && low <= 0 ? $"'{text}': a log-scale range needs ends > 0."
            : integer && Math.Ceiling(low) > Math.Floor(high) ? $"'{text}': an integer range holds no whole number."
            : null;
    }
}
