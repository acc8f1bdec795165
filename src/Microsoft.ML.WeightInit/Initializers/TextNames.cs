using System;
using System.Collections.Generic;
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
            ParseName(NonlinearityNames, text, parameterName, t => $"Unsupported nonlinearity {t}");

        public static FanMode ParseFanMode(string text, string parameterName) =>
            ParseName(FanModeNames, text, parameterName, t => $"Mode {t} not supported, please use one of ['fan_in', 'fan_out']");

        public static VarianceScalingMode ParseVarianceScalingMode(string text, string parameterName) =>
            ParseName(VarianceScalingModeNames, text, parameterName, t => $"Unsupported mode {t}");

        public static VarianceScalingDistribution ParseDistribution(string text, string parameterName) =>
            string.Equals(text?.Trim(), "untruncated_normal", StringComparison.Ordinal)
                ? VarianceScalingDistribution.Normal
                : ParseName(DistributionNames, text!, parameterName, t => $"Unsupported distribution {t}");

        private static string Name<T>(Dictionary<T, string> names, T value)
            where T : struct, Enum =>
            names.TryGetValue(value, out string? name) ? name : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static T ParseName<T>(Dictionary<T, string> names, string text, string parameterName, Func<string, string> pyTorchMessage)
            where T : notnull
        {
            ArgumentNullException.ThrowIfNull(text, parameterName);
            foreach (var (value, name) in names)
            {
                if (string.Equals(name, text.Trim(), StringComparison.Ordinal))
                {
                    return value;
                }
            }
            throw new ArgumentException(
                $"{pyTorchMessage(text)}. Valid: {string.Join(", ", names.Values.OrderBy(n => n, StringComparer.Ordinal))}.",
                parameterName);
        }
    }
}
