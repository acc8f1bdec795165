using System;
using System.Globalization;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Shape of the distribution an initializer draws from, for diagnostics and tests.</summary>
    public enum DistributionFamily
    {
        /// <summary>Every value is the same constant.</summary>
        Constant,

        /// <summary>U(low, high).</summary>
        Uniform,

        /// <summary>N(mean, std²), unbounded.</summary>
        Normal,

        /// <summary>A normal truncated to [low, high].</summary>
        TruncatedNormal,

        /// <summary>Entries of a random (semi-)orthogonal matrix, scaled by the gain.</summary>
        Orthogonal,

        /// <summary>A normal with an exact fraction of zeros per column.</summary>
        SparseNormal,

        /// <summary>A deterministic 0/1 pattern (identity matrix, Dirac kernel).</summary>
        Deterministic,
    }

    /// <summary>
    /// Theoretical moments of the values an initializer writes into a tensor of a given shape (see
    /// <see cref="ITheoreticalDistribution"/>): over all elements, the expected mean and standard deviation, and the
    /// interval every value lies in when there is one. Units are those of the weights.
    /// </summary>
    /// <param name="Family">The kind of distribution.</param>
    /// <param name="Mean">Expected mean of the elements.</param>
    /// <param name="Std">Expected standard deviation of the elements (root mean square around <paramref name="Mean"/>).</param>
    /// <param name="Low">Smallest possible value, or null when unbounded.</param>
    /// <param name="High">Largest possible value, or null when unbounded.</param>
    public sealed record DistributionTheory(DistributionFamily Family, double Mean, double Std, double? Low, double? High)
    {
        /// <summary>A constant c: mean c, std 0, bounds [c, c].</summary>
        /// <param name="value">The constant.</param>
        /// <returns>The theory.</returns>
        public static DistributionTheory Constant(double value) => new(DistributionFamily.Constant, value, 0, value, value);

        /// <summary>U(low, high): mean (low + high)/2, std (high − low)/√12.</summary>
        /// <param name="low">Lower bound.</param>
        /// <param name="high">Upper bound.</param>
        /// <returns>The theory.</returns>
        public static DistributionTheory Uniform(double low, double high) =>
            new(DistributionFamily.Uniform, (low + high) / 2, (high - low) / Math.Sqrt(12), low, high);

        /// <summary>N(mean, std²).</summary>
        /// <param name="mean">Mean.</param>
        /// <param name="std">Standard deviation.</param>
        /// <returns>The theory.</returns>
        public static DistributionTheory Normal(double mean, double std) => new(DistributionFamily.Normal, mean, std, null, null);

        /// <summary>
        /// N(mean, std²) truncated to [a, b]: with α = (a − mean)/std, β = (b − mean)/std, Z = Φ(β) − Φ(α), the mean is
        /// mean + std·(φ(α) − φ(β))/Z and the variance std²·[1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²].
        /// </summary>
        /// <param name="mean">Mean of the untruncated normal.</param>
        /// <param name="std">Standard deviation of the untruncated normal (&gt; 0).</param>
        /// <param name="a">Lower cutoff.</param>
        /// <param name="b">Upper cutoff.</param>
        /// <returns>The theory.</returns>
        public static DistributionTheory TruncatedNormal(double mean, double std, double a, double b)
        {
            double alpha = (a - mean) / std, beta = (b - mean) / std;
            double z = StandardNormal.Cdf(beta) - StandardNormal.Cdf(alpha);
            if (!(z > 0))
            {
                return new DistributionTheory(DistributionFamily.TruncatedNormal, Math.Clamp(mean, a, b), 0, a, b);
            }
            double pa = StandardNormal.Pdf(alpha), pb = StandardNormal.Pdf(beta);
            double shift = (pa - pb) / z;
            double spread = 1 + (Times(alpha, pa) - Times(beta, pb)) / z - shift * shift;
            return new DistributionTheory(DistributionFamily.TruncatedNormal, mean + std * shift, std * Math.Sqrt(Math.Max(spread, 0)), a, b);
        }

        /// <summary>One line for tables, e.g. <c>Uniform mean 0, std 0.0577, in [-0.1, 0.1]</c>.</summary>
        /// <returns>The line.</returns>
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Family} mean {Mean:G4}, std {Std:G4}{(Low is null || High is null ? string.Empty : $", in [{Low:G4}, {High:G4}]")}");

        private static double Times(double x, double density) => double.IsInfinity(x) ? 0 : x * density;
    }
}
