using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>Reads <see cref="NetworkArchitecture"/> text forms: <c>name</c> or <c>name(key=value, …)</c>.</summary>
    internal static class ArchitectureSyntax
    {
        /// <summary>Longest text accepted.</summary>
        public const int MaxLength = 512;

        public static NetworkArchitecture Parse(string? text)
        {
            if (text is null)
            {
                throw new ArchitectureFormatException("An architecture text form is required; got null. Valid: " + Valid + ".", null);
            }
            if (text.Length > MaxLength)
            {
                throw new ArchitectureFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"Architecture text form is {text.Length} characters long; at most {MaxLength} are accepted."), null);
            }
            string s = text.Trim();
            int open = s.IndexOf('(');
            string name = (open < 0 ? s : s[..open]).Trim();
            var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
            if (open >= 0)
            {
                if (!s.EndsWith(')') || s.IndexOf(')') != s.Length - 1 || s.IndexOf('(', open + 1) >= 0)
                {
                    throw new ArchitectureFormatException($"'{text}' is not an architecture text form: expected name(key=value, …) with one pair of parentheses at the end.", null);
                }
                foreach (string part in s[(open + 1)..^1].Split(','))
                {
                    string p = part.Trim();
                    if (p.Length == 0 && s[(open + 1)..^1].Trim().Length == 0)
                    {
                        continue;
                    }
                    int eq = p.IndexOf('=');
                    if (eq <= 0 || eq == p.Length - 1)
                    {
                        throw new ArchitectureFormatException($"'{text}': argument '{p}' is not of the form key=value.", null);
                    }
                    string key = p[..eq].Trim();
                    if (!arguments.TryAdd(key, p[(eq + 1)..].Trim()))
                    {
                        throw new ArchitectureFormatException($"'{text}': parameter '{key}' is given twice.", key);
                    }
                }
            }
            var args = new Arguments(text, name, arguments);
            switch (name)
            {
                case "mnist_net":
                    args.EnsureAllKnown();
                    return NetworkArchitecture.MnistNet;
                case "mlp":
                {
                    int depth = args.Int("depth", 30);
                    int width = args.Int("width", 256);
                    var activation = args.Activation("activation", NetworkActivation.Relu);
                    args.EnsureAllKnown();
                    return NetworkArchitecture.Mlp(depth, width, activation);
                }
                case "plain_cnn":
                {
                    int depth = args.Int("depth", 20);
                    int width = args.Int("width", 32);
                    var activation = args.Activation("activation", NetworkActivation.Relu);
                    bool batchNorm = args.Bool("batch_norm", false);
                    args.EnsureAllKnown();
                    return NetworkArchitecture.PlainCnn(depth, width, activation, batchNorm);
                }
                case "resnet":
                {
                    int blocks = args.Int("blocks", 8);
                    int width = args.Int("width", 16);
                    bool batchNorm = args.Bool("batch_norm", false);
                    args.EnsureAllKnown();
                    return NetworkArchitecture.ResNet(blocks, width, batchNorm);
                }
                default:
                    throw new ArchitectureFormatException($"Unknown architecture '{name}' in '{text}'. Valid: {Valid}.", null);
            }
        }

        private static string Valid =>
            "mnist_net, mlp(depth=30, width=256, activation=relu), plain_cnn(depth=20, width=32, activation=relu, batch_norm=false), "
            + "resnet(blocks=8, width=16, batch_norm=false)";

        /// <summary>The arguments of one text form; every read records the key as known.</summary>
        private sealed class Arguments
        {
            private readonly string _text;
            private readonly string _family;
            private readonly Dictionary<string, string> _values;
            private readonly List<string> _known = new();

            public Arguments(string text, string family, Dictionary<string, string> values)
            {
                _text = text;
                _family = family;
                _values = values;
            }

            public int Int(string key, int defaultValue)
            {
                _known.Add(key);
                if (!_values.TryGetValue(key, out var value))
                {
                    return defaultValue;
                }
                return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
                    ? result
                    : throw new ArchitectureFormatException($"'{_text}': {key}={value} is not an integer.", key);
            }

            public bool Bool(string key, bool defaultValue)
            {
                _known.Add(key);
                if (!_values.TryGetValue(key, out var value))
                {
                    return defaultValue;
                }
                return value switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw new ArchitectureFormatException($"'{_text}': {key}={value} is not true or false.", key),
                };
            }

            public NetworkActivation Activation(string key, NetworkActivation defaultValue)
            {
                _known.Add(key);
                if (!_values.TryGetValue(key, out var value))
                {
                    return defaultValue;
                }
                return NetworkArchitecture.ActivationOf(value)
                    ?? throw new ArchitectureFormatException($"'{_text}': {key}={value} is not an activation. Valid: {NetworkArchitecture.ActivationList}.", key);
            }

            public void EnsureAllKnown()
            {
                foreach (string key in _values.Keys.Where(k => !_known.Contains(k)))
                {
                    string valid = _known.Count == 0 ? "no parameters" : string.Join(", ", _known);
                    throw new ArchitectureFormatException($"'{_text}': unknown parameter '{key}'; {_family} takes {valid}.", key);
                }
            }
        }
    }
}
