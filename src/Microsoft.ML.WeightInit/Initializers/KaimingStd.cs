using System;
using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>The standard deviation shared by both Kaiming schemes.</summary>
    internal static class KaimingStd
    {
        /// <summary>gain / √fan, in PyTorch's order of operations.</summary>
        /// <exception cref="ArgumentException">Fewer than 2 dims.</exception>
        public static double Of(IReadOnlyList<long> shape, double a, FanMode mode, Nonlinearity nonlinearity, string parameterName)
        {
            long fan = Fans.Select(shape, mode, parameterName);
            double gain = Gain.Calculate(nonlinearity, a);
            return gain / Math.Sqrt(fan);
        }

        /// <summary>Checks a, mode and nonlinearity.</summary>
        /// <exception cref="ArgumentException">A value out of range (PyTorch's message for a bad mode).</exception>
        public static void Validate(double a, FanMode mode, Nonlinearity nonlinearity)
        {
            if (!double.IsFinite(a))
            {
                throw new ParameterException($"a must be a finite number; got {TextFormSyntax.FormatValue(a)}.", "a");
            }
            if (!Enum.IsDefined(mode))
            {
                throw new ParameterException($"Mode {(int)mode} not supported, please use one of ['fan_in', 'fan_out']", "mode");
            }
            if (!Enum.IsDefined(nonlinearity))
            {
                throw new ParameterException($"Unsupported nonlinearity {(int)nonlinearity}", "nonlinearity");
            }
        }
    }
}
