using System;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The standard normal distribution's density and CDF in float64, for truncated-normal sampling and the schemes'
    /// theoretical moments. erf is the C library's, which Python's <c>math.erf</c> wraps (see <see cref="CMath"/>).
    /// </summary>
    internal static class StandardNormal
    {
        /// <summary>erf(x) in float64, the C library's.</summary>
        public static double Erf(double x) => CMath.Erf(x);

        /// <summary>erf(x) in float64 through libtorch's kernel.</summary>
        public static double TorchErf(double x)
        {
            if (double.IsNaN(x))
            {
                return double.NaN;
            }
            if (double.IsInfinity(x))
            {
                return Math.Sign(x);
            }
            TorchRuntime.EnsureInitialized();
            using var t = torch.tensor(x, torch.float64);
            using var e = t.erf();
            return e.item<double>();
        }

        /// <summary>Φ(x) = (1 + erf(x / √2)) / 2, as PyTorch's <c>norm_cdf</c>.</summary>
        public static double Cdf(double x) => (1.0 + Erf(x / Math.Sqrt(2.0))) / 2.0;

        /// <summary>φ(x) = exp(−x²/2) / √(2π).</summary>
        public static double Pdf(double x) => double.IsInfinity(x) ? 0 : Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
    }
}
