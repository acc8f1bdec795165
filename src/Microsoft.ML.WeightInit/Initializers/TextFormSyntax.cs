using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The text form of an initializer: <c>name</c> or <c>name(key=value, key=value)</c>, with PyTorch's scheme and
    /// argument names; numbers in invariant culture (shortest round-trip form), words as bare identifiers.
    /// </summary>
    internal static class TextFormSyntax
    {
        /// <summary>Longest text accepted (guards the parser against huge inputs).</summary>
        public const int MaxLength = 4096;

        public static string Format(string name, IEnumerable<KeyValuePair<string, object>> parameters)
        {
            var list = parameters.ToList();
            if (list.Count == 0)
            {
                return name;
            }
            var sb = new StringBuilder(name).Append('(');
            for (int i = 0; i < list.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }
                sb.Append(list[i].Key).Append('=').Append(FormatValue(list[i].Value));
            }
            return sb.Append(')').ToString();
        }

        public static string FormatValue(object value) => value switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            long l => l.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            Nonlinearity n => TextNames.Of(n),
            FanMode m => TextNames.Of(m),
            VarianceScalingMode m => TextNames.Of(m),
            VarianceScalingDistribution d => TextNames.Of(d),
            IWeightInitializer w => w.TextForm,
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };

        /// <summary>Splits a text form into its scheme name and its <c>key=value</c> arguments (values unparsed).</summary>
        /// <exception cref="FormatException">The text is not of the form <c>name(key=value, …)</c>.</exception>
        public static (string Name, List<KeyValuePair<string, string>> Arguments) Split(string text)
        {
            if (text is null)
            {
                throw new FormatException("An initializer text form is required; got null.");
            }
            if (text.Length > MaxLength)
            {
                throw new FormatException($"Initializer text form is {text.Length} characters long; at most {MaxLength} are accepted.");
            }
            string s = text.Trim();
            int open = s.IndexOf('(');
            string name = (open < 0 ? s : s[..open]).Trim();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new FormatException($"'{text}' is not an initializer text form: expected name or name(key=value, ...) with a name of letters, digits and '_'.");
            }
            var args = new List<KeyValuePair<string, string>>();
            if (open < 0)
            {
                return (name, args);
            }
            if (!s.EndsWith(')'))
            {
                throw new FormatException($"'{text}' is not an initializer text form: missing ')' at the end.");
            }
            string inner = s[(open + 1)..^1];
            if (Unbalanced(inner) is { } unbalanced)
            {
                throw new FormatException($"'{text}': unbalanced '{unbalanced.Parenthesis}'.");
            }
            foreach (var (part, _) in SplitTopLevel(inner, ","))
            {
                if (part.Length == 0)
                {
                    continue;
                }
                int eq = part.IndexOf('=');
                if (eq <= 0)
                {
                    throw new FormatException($"'{text}': argument '{part}' is not of the form key=value.");
                }
                string key = part[..eq].Trim();
                string value = part[(eq + 1)..].Trim();
                if (value.Length == 0)
                {
                    throw new FormatException($"'{text}': argument '{key}' has no value.");
                }
                if (args.Any(a => a.Key == key))
                {
                    throw new FormatException($"'{text}': argument '{key}' is given twice.");
                }
                args.Add(new KeyValuePair<string, string>(key, value));
            }
            return (name, args);
        }

        /// <summary>
        /// The tokenizer every text grammar shares (text forms, initializer plans, search spaces, the CLI's lists): the
        /// pieces of <paramref name="text"/> between <paramref name="separators"/> that stand outside parentheses
        /// (values may be initializers, whose own arguments hold separators), trimmed, each with the offset of its
        /// first character. An unmatched <c>)</c> does not take the depth below 0 (<see cref="Unbalanced"/> finds it).
        /// </summary>
        /// <param name="text">The text.</param>
        /// <param name="separators">The separator characters, e.g. <c>";"</c> or <c>",;"</c>.</param>
        /// <returns>Every piece (empty ones included), in order; one piece when there is no separator.</returns>
        public static IReadOnlyList<TextPiece> SplitTopLevel(string text, string separators)
        {
            var pieces = new List<TextPiece>();
            int depth = 0, start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                char c = i < text.Length ? text[i] : separators[0];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if ((depth == 0 || i == text.Length) && separators.Contains(c))
                {
                    pieces.Add(Piece(text, start, i));
                    start = i + 1;
                }
            }
            return pieces;
        }

        /// <summary>The first <paramref name="wanted"/> outside parentheses, or −1.</summary>
        /// <param name="text">The text.</param>
        /// <param name="wanted">The character.</param>
        /// <returns>Its index.</returns>
        public static int TopLevelIndexOf(string text, char wanted)
        {
            int depth = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (c == wanted && depth == 0)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>The first parenthesis without a partner: a <c>)</c> with none open before it, else the first
        /// <c>(</c> never closed; null when they balance.</summary>
        /// <param name="text">The text.</param>
        /// <returns>The parenthesis and its index, or null.</returns>
        public static (char Parenthesis, int Position)? Unbalanced(string text)
        {
            var open = new Stack<int>();
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '(')
                {
                    open.Push(i);
                }
                else if (text[i] == ')')
                {
                    if (open.Count == 0)
                    {
                        return (')', i);
                    }
                    open.Pop();
                }
            }
            return open.Count == 0 ? null : ('(', open.Last());
        }

        private static TextPiece Piece(string text, int start, int end)
        {
            string raw = text[start..end];
            string trimmed = raw.TrimStart();
            return new TextPiece(trimmed.TrimEnd(), start + raw.Length - trimmed.Length);
        }
    }

    /// <summary>A piece of a text between separators, trimmed, and the offset of its first character.</summary>
    /// <param name="Text">The trimmed piece.</param>
    /// <param name="Start">Its offset in the text it came from.</param>
    internal readonly record struct TextPiece(string Text, int Start);
}
