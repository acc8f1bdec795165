using System;
using System.Linq;
using MathNet.Numerics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>
    /// One-sample Kolmogorov–Smirnov test at significance α = 0.001 (fixed seeds make each test deterministic; α is
    /// the chance that a correct sampler would have been flagged). p-values from the asymptotic Kolmogorov
    /// distribution with Stephens' correction, accurate for the ≥ 100,000 values used here; target CDFs from
    /// MathNet.Numerics.
    /// </summary>
    internal static class KolmogorovSmirnov
    {
        public const double Alpha = 0.001;

        /// <summary>D = sup |F_n(x) − F(x)|.</summary>
        public static double Statistic(float[] sample, Func<double, double> cdf)
        {
            var sorted = sample.Select(v => (double)v).OrderBy(v => v).ToArray();
            int n = sorted.Length;
            double d = 0;
            for (int i = 0; i < n; i++)
            {
                double f = cdf(sorted[i]);
                d = Math.Max(d, Math.Max(f - (double)i / n, (double)(i + 1) / n - f));
            }
            return d;
        }

        /// <summary>P(D ≥ d) for a sample of n under the null hypothesis.</summary>
        public static double PValue(double d, int n)
        {
            double sqrtN = Math.Sqrt(n);
            double lambda = (sqrtN + 0.12 + 0.11 / sqrtN) * d;
            if (lambda < 0.2)
            {
                return 1;
            }
            double sum = 0;
            for (int k = 1; k <= 100; k++)
            {
                double term = Math.Exp(-2.0 * k * k * lambda * lambda);
                sum += (k % 2 == 1 ? 1 : -1) * term;
                if (term < 1e-16)
                {
                    break;
                }
            }
            return Math.Clamp(2 * sum, 0, 1);
        }

        /// <summary>Asserts the sample (≥ 100,000 values) is not rejected at α = 0.001.</summary>
        public static void AssertFits(float[] sample, Func<double, double> cdf, string what)
        {
            Assert.IsGreaterThanOrEqualTo(100_000, sample.Length, $"{what}: KS needs at least 100,000 values");
            double d = Statistic(sample, cdf);
            double p = PValue(d, sample.Length);
            Assert.IsGreaterThan(Alpha, p, $"{what}: KS D = {d:E3}, p = {p:E3} < α = {Alpha} (n = {sample.Length})");
        }

        /// <summary>Asserts the sample IS rejected (to show the test has power).</summary>
        public static void AssertRejects(float[] sample, Func<double, double> cdf, string what)
        {
            double p = PValue(Statistic(sample, cdf), sample.Length);
            Assert.IsLessThan(Alpha, p, $"{what}: KS did not reject (p = {p:E3})");
        }

        public static Func<double, double> Uniform(double low, double high) => x => Math.Clamp((x - low) / (high - low), 0, 1);

        public static Func<double, double> Normal(double mean, double std) => x => MathNet.Numerics.Distributions.Normal.CDF(mean, std, x);

        public static Func<double, double> TruncatedNormal(double mean, double std, double a, double b)
        {
            double lo = MathNet.Numerics.Distributions.Normal.CDF(mean, std, a);
            double hi = MathNet.Numerics.Distributions.Normal.CDF(mean, std, b);
            return x => x <= a ? 0 : x >= b ? 1 : (MathNet.Numerics.Distributions.Normal.CDF(mean, std, x) - lo) / (hi - lo);
        }

        /// <summary>
        /// One coordinate of a uniformly random unit vector in ℝⁿ (a row of a Haar semi-orthogonal matrix), scaled by
        /// gain: x² / gain² ~ Beta(1/2, (n − 1)/2), symmetric around 0.
        /// </summary>
        public static Func<double, double> SphereCoordinate(int n, double gain) => x =>
        {
            double t = Math.Min(1, x * x / (gain * gain));
            double half = 0.5 * SpecialFunctions.BetaRegularized(0.5, (n - 1) / 2.0, t);
            return x < 0 ? 0.5 - half : 0.5 + half;
        };
    }
}
