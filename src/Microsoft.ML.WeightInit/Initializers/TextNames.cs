using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Text names of the enumerations in text forms, both ways: PyTorch's for <see cref="Nonlinearity"/> and
    /// <see cref="FanMode"/>, Keras' for <see cref="VarianceScalingMode"/> and <see cref="VarianceScalingDistribution"/>.
    /// Error messages start as PyTorch's and list the valid names.
    /// </summary>
    internal static class TextNames
    {
        private static readonly Dictionary<Nonlinearity, string> NonlinearityNames = new()
        {
            [Nonlinearity.Linear] = "linear",
            [Nonlinearity.Conv1d] = "conv1d",
            [Nonlinearity.Conv2d] = "conv2d",
            [Nonlinearity.Conv3d] = "conv3d",
            [Nonlinearity.ConvTranspose1d] = "conv_transpose1d",
            [Nonlinearity.ConvTranspose2d] = "conv_transpose2d",
            [Nonlinearity.ConvTranspose3d] = "conv_transpose3d",
            [Nonlinearity.Sigmoid] = "sigmoid",
            [Nonlinearity.Tanh] = "tanh",
            [Nonlinearity.Relu] = "relu",
            [Nonlinearity.LeakyRelu] = "leaky_relu",
            [Nonlinearity.Selu] = "selu",
        };

        private static readonly Dictionary<FanMode, string> FanModeNames = new()
        {
            [FanMode.FanIn] = "fan_in",
            [FanMode.FanOut] = "fan_out",
        };

        private static readonly Dictionary<VarianceScalingMode, string> VarianceScalingModeNames = new()
        {
            [VarianceScalingMode.FanIn] = "fan_in",
            [VarianceScalingMode.FanOut] = "fan_out",
            [VarianceScalingMode.FanAvg] = "fan_avg",
        };

        private static readonly Dictionary<VarianceScalingDistribution, string> DistributionNames = new()
        {
            [VarianceScalingDistribution.TruncatedNormal] = "truncated_normal",
            [VarianceScalingDistribution.Normal] = "normal",
            [VarianceScalingDistribution.Uniform] = "uniform",
        };

        public static string Of(Nonlinearity value) => Name(NonlinearityNames, value);

        public static string Of(FanMode value) => Name(FanModeNames, value);

        public static string Of(VarianceScalingMode value) => Name(VarianceScalingModeNames, value);

        public static string Of(VarianceScalingDistribution value) => Name(DistributionNames, value);

        public static Nonlinearity ParseNonlinearity(string text, string parameterName) =>
            Parse<Nonlinearity>(text, parameterName);

        public static FanMode ParseFanMode(string text, string parameterName) =>
            Parse<FanMode>(text, parameterName);

        public static VarianceScalingMode ParseVarianceScalingMode(string text, string parameterName) =>
            Parse<VarianceScalingMode>(text, parameterName);

        public static VarianceScalingDistribution ParseDistribution(string text, string parameterName) =>
            Parse<VarianceScalingDistribution>(text, parameterName);

        /// <summary>Whether <paramref name="type"/> is an enumeration with text names here.</summary>
        public static bool Knows(Type type) => Readers.ContainsKey(type);

        /// <summary>Reads the text name of a value of <paramref name="type"/> (an enumeration <see cref="Knows"/>
        /// accepts).</summary>
        /// <param name="type">The enumeration.</param>
        /// <param name="text">The text name.</param>
        /// <param name="value">The value, or null.</param>
        /// <param name="error">PyTorch's (or Keras') message and the valid names, without a final period; or null.</param>
        /// <returns>Whether the text is a name of a value.</returns>
        public static bool TryParse(Type type, string text, [NotNullWhen(true)] out object? value, [NotNullWhen(false)] out string? error) =>
            Readers[type](text, out value, out error);

        private delegate bool Reader(string text, [NotNullWhen(true)] out object? value, [NotNullWhen(false)] out string? error);

        private static readonly Dictionary<Type, Reader> Readers = new()
        {
            [typeof(Nonlinearity)] = Read(NonlinearityNames, t => $"Unsupported nonlinearity {t}"),
            [typeof(FanMode)] = Read(FanModeNames, t => $"Mode {t} not supported, please use one of ['fan_in', 'fan_out']"),
            [typeof(VarianceScalingMode)] = Read(VarianceScalingModeNames, t => $"Unsupported mode {t}"),
            [typeof(VarianceScalingDistribution)] = ReadDistribution,
        };

        /// <summary>Keras' <c>untruncated_normal</c> is read as <c>normal</c>.</summary>
        private static bool ReadDistribution(string text, [NotNullWhen(true)] out object? value, [NotNullWhen(false)] out string? error)
        {
            if (string.Equals(text?.Trim(), "untruncated_normal", StringComparison.Ordinal))
            {
                (value, error) = (VarianceScalingDistribution.Normal, null);
                return true;
            }
            return Read(DistributionNames, t => $"Unsupported distribution {t}")(text!, out value, out error);
        }

        private static T Parse<T>(string text, string parameterName)
            where T : struct, Enum
        {
            ArgumentNullException.ThrowIfNull(text, parameterName);
            return TryParse(typeof(T), text, out object? value, out string? error)
                ? (T)value
                : throw new ArgumentException($"{error}.", parameterName);
        }

        private static string Name<T>(Dictionary<T, string> names, T value)
            where T : struct, Enum =>
            names.TryGetValue(value, out string? name) ? name : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static Reader Read<T>(Dictionary<T, string> names, Func<string, string> pyTorchMessage)
            where T : notnull =>
            (string text, [NotNullWhen(true)] out object? value, [NotNullWhen(false)] out string? error) =>
            {
                foreach (var (v, name) in names)
                {
                    if (string.Equals(name, text.Trim(), StringComparison.Ordinal))
                    {
                        (value, error) = (v, null);
                        return true;
                    }
                }
                (value, error) = (null, $"{pyTorchMessage(text)}. Valid: {string.Join(", ", names.Values.OrderBy(n => n, StringComparer.Ordinal))}");
                return false;
            };
    }
}
