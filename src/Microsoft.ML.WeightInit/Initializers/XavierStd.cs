using System;
using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>The standard deviation shared by both Xavier schemes.</summary>
    internal static class XavierStd
    {
        /// <summary>The gain of both schemes: finite and ≥ 0. PyTorch fails later for a negative gain, inside the
        /// draw (<c>uniform_</c>'s empty range, <c>normal_</c>'s negative std); here the parameter is named.</summary>
        /// <exception cref="ArgumentException">gain is not finite, or negative.</exception>
        public static void ValidateGain(double gain)
        {
            if (!double.IsFinite(gain) || gain < 0)
            {
                throw new ParameterException(double.IsFinite(gain)
                    ? $"gain must be ≥ 0; got {TextFormSyntax.FormatValue(gain)}."
                    : $"gain must be a finite number; got {TextFormSyntax.FormatValue(gain)}.", "gain");
            }
        }

        /// <summary>gain · √(2 / (fan_in + fan_out)), in PyTorch's order of operations.</summary>
        /// <exception cref="ArgumentException">Fewer than 2 dims, or fan_in + fan_out = 0 (PyTorch divides by zero).</exception>
        public static double Of(IReadOnlyList<long> shape, double gain, string parameterName)
        {
            var (fanIn, fanOut) = Fans.Compute(shape, parameterName);
            if (fanIn + fanOut == 0)
            {
                throw new ArgumentException(
                    $"float division by zero: Xavier initialization needs fan_in + fan_out > 0, and '{parameterName}' has shape {Shapes.Format(shape)}.",
                    "tensor");
            }
            return gain * Math.Sqrt(2.0 / (double)(fanIn + fanOut));
        }
    }
}
