using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>PyTorch's text names for <see cref="Nonlinearity"/> and <see cref="FanMode"/>, both ways.</summary>
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

        public static string Of(Nonlinearity value) => NonlinearityNames[value];

        public static string Of(FanMode value) => FanModeNames[value];

        public static Nonlinearity ParseNonlinearity(string text, string parameterName) =>
            ParseName(NonlinearityNames, text, parameterName, "nonlinearity");

        public static FanMode ParseFanMode(string text, string parameterName) =>
            ParseName(FanModeNames, text, parameterName, "mode");

        private static T ParseName<T>(Dictionary<T, string> names, string text, string parameterName, string what)
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
                $"Unsupported {what} '{text}'. Valid: {string.Join(", ", names.Values.OrderBy(n => n, StringComparer.Ordinal))}.",
                parameterName);
        }
    }
}
