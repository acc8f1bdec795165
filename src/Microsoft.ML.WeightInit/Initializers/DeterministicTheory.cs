using System;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Moments of a 0/1 pattern (identity, Dirac), for <see cref="ITheoreticalDistribution"/>.</summary>
    internal static class DeterministicTheory
    {
        /// <summary>k ones among n values: mean p = k/n, std √(p(1 − p)), values in [0, 1].</summary>
        public static DistributionTheory OnesAmongZeros(long ones, long count)
        {
            double p = count == 0 ? 0 : (double)ones / count;
            return new DistributionTheory(DistributionFamily.Deterministic, p, Math.Sqrt(p * (1 - p)), 0, ones > 0 ? 1 : 0);
        }
    }
}
