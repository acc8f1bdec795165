using System;
using System.Linq;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// Holm's step-down adjustment of m p-values (Holm, 1979): sorted ascending, p₍ₖ₎ becomes
    /// max over j ≤ k of min(1, (m − j + 1)·p₍ⱼ₎). Rejecting where the adjusted p &lt; α keeps the family-wise error ≤ α.
    /// </summary>
    public static class HolmBonferroni
    {
        /// <summary>Adjusts p-values.</summary>
        /// <param name="p">Raw p-values in [0, 1].</param>
        /// <returns>Adjusted p-values, in the input's order.</returns>
        public static double[] Adjust(double[] p)
        {
            ArgumentNullException.ThrowIfNull(p);
            int m = p.Length;
            var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ToArray();
            var adjusted = new double[m];
            double running = 0;
            for (int k = 0; k < m; k++)
            {
                running = Math.Max(running, Math.Min(1, (m - k) * p[order[k]]));
                adjusted[order[k]] = running;
            }
            return adjusted;
        }
    }
}
