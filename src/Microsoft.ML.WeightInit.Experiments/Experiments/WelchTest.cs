using System;
using MathNet.Numerics.Distributions;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// Welch's unequal-variances t-test of two means: t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂), with the
    /// Welch–Satterthwaite degrees of freedom ν = (s₁²/n₁ + s₂²/n₂)² / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)), and the
    /// two-sided p-value 2·P(T_ν ≥ |t|) from MathNet.Numerics' Student t distribution.
    /// </summary>
    /// <param name="T">The t statistic (±∞ when both spreads are 0 and the means differ; 0 when they are equal).</param>
    /// <param name="DegreesOfFreedom">ν; NaN when both spreads are 0.</param>
    /// <param name="P">Two-sided p-value in [0, 1].</param>
    public readonly record struct WelchTest(double T, double DegreesOfFreedom, double P)
    {
        /// <summary>Tests whether two samples' means differ.</summary>
        /// <param name="a">First sample's mean, standard deviation and size (n ≥ 2).</param>
        /// <param name="b">Second sample's.</param>
        /// <returns>The test.</returns>
        /// <exception cref="ArgumentException">A sample with fewer than 2 values.</exception>
        public static WelchTest Of(MeanStd a, MeanStd b)
        {
            if (a.N < 2 || b.N < 2)
            {
                throw new ArgumentException("Welch's t-test needs at least 2 values on each side.", a.N < 2 ? nameof(a) : nameof(b));
            }
            double va = a.Std * a.Std / a.N, vb = b.Std * b.Std / b.N;
            double se2 = va + vb;
            if (se2 == 0)
            {
                // No spread at all: equal means cannot be told apart, different ones differ with certainty.
                return a.Mean == b.Mean ? new WelchTest(0, double.NaN, 1) : new WelchTest(Math.Sign(a.Mean - b.Mean) * double.PositiveInfinity, double.NaN, 0);
            }
            double t = (a.Mean - b.Mean) / Math.Sqrt(se2);
            double df = se2 * se2 / (va * va / (a.N - 1) + vb * vb / (b.N - 1));
            double p = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
            return new WelchTest(t, df, Math.Clamp(p, 0, 1));
        }
    }
}
