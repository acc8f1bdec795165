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
            foreach (string part in SplitTopLevel(inner, text))
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

        /// <summary>Splits on commas that are not inside nested parentheses (values may be initializers).</summary>
        private static IEnumerable<string> SplitTopLevel(string inner, string text)
        {
            int depth = 0, start = 0;
            for (int i = 0; i < inner.Length; i++)
            {
                char c = inner[i];
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    if (--depth < 0)
                    {
                        throw new FormatException($"'{text}': unbalanced ')'.");
                    }
                }
                else if (c == ',' && depth == 0)
                {
                    yield return inner[start..i].Trim();
                    start = i + 1;
                }
            }
            if (depth != 0)
            {
                throw new FormatException($"'{text}': unbalanced '('.");
            }
            yield return inner[start..].Trim();
        }
    }
}
