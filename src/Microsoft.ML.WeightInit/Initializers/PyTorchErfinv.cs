using System;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The inverse error function on float32 exactly as PyTorch 1.13's CPU <c>erfinv_</c> computes it (ATen's
    /// <c>calc_erfinv</c>): a rational initial approximation (Pavlis' port of MATLAB's erfinv, 1996: one rational
    /// function of y² for |y| ≤ 0.7, one of √(−log((1 − |y|)/2)) beyond), then two Newton steps
    /// x ← x − (erf(x) − y) / ((2/√π)·exp(−x²)), all in float32 with the C library's erff/expf/logf. On x86 CPUs
    /// with AVX2 and FMA, PyTorch runs the build of the kernel whose multiply-adds the compiler fused, and on ARM64 the
    /// compiler fuses them too; so does this, there. libtorch 2.10's <c>erfinv_</c> uses another approximation and
    /// differs from PyTorch 1.13 by 1 ulp in about a fifth of the values, hence this managed copy of the algorithm.
    /// </summary>
    internal static class PyTorchErfinv
    {
        private const float CentralRange = 0.7f;

        // Coefficients of the rational approximations (Pavlis, MATLAB erfinv v2.0), lowest order first.
        private static readonly float[] s_centralNumerator = { 0.886226899f, -1.645349621f, 0.914624893f, -0.140543331f };
        private static readonly float[] s_centralDenominator = { -2.118377725f, 1.442710462f, -0.329097515f, 0.012229801f };
        private static readonly float[] s_tailNumerator = { -1.970840454f, -1.624906493f, 3.429567803f, 1.641345311f };
        private static readonly float[] s_tailDenominator = { 3.543889200f, 1.637067800f };

        private static readonly float s_twoOverSqrtPi = 2.0f / (float)Math.Sqrt(Math.PI);

        /// <summary>Whether multiply-adds are fused, as in the kernel build PyTorch runs on this CPU.</summary>
        public static bool FusedMultiplyAdd { get; } =
            (Avx2.IsSupported && Fma.IsSupported) || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

        /// <summary>Replaces every value y by erfinv(y) in place.</summary>
        public static void Apply(Span<float> values)
        {
            bool fused = FusedMultiplyAdd;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Erfinv(values[i], fused);
            }
        }

        /// <summary>erfinv(y): NaN outside [−1, 1], ±∞ at ±1.</summary>
        public static float Erfinv(float y, bool fused)
        {
            float magnitude = MathF.Abs(y);
            if (magnitude > 1.0f)
            {
                return float.NaN;
            }
            if (magnitude == 1.0f)
            {
                return MathF.CopySign(float.PositiveInfinity, y);
            }
            float x;
            if (magnitude <= CentralRange)
            {
                float z = y * y;
                float numerator = Horner(s_centralNumerator, z, 0f, fused, leadingOne: false);
                float denominator = Horner(s_centralDenominator, z, 1.0f, fused, leadingOne: true);
                x = y * numerator / denominator;
            }
            else
            {
                float z = MathF.Sqrt(-CMath.Logf((1.0f - magnitude) / 2.0f));
                float numerator = Horner(s_tailNumerator, z, 0f, fused, leadingOne: false);
                float denominator = Horner(s_tailDenominator, z, 1.0f, fused, leadingOne: true);
                x = MathF.CopySign(numerator, y) / denominator;
            }
            x = NewtonStep(x, y);
            return NewtonStep(x, y);
        }

        private static float NewtonStep(float x, float y) =>
            x - (CMath.Erff(x) - y) / (s_twoOverSqrtPi * CMath.Expf(-x * x));

        /// <summary>
        /// Evaluates c[n−1]·zⁿ⁻¹ + … + c[0] by Horner's rule, or, with <paramref name="leadingOne"/>,
        /// (…(c[n−1]·z + c[n−2])·z + … + c[0])·z + <paramref name="constant"/>, each step one multiply-add.
        /// </summary>
        private static float Horner(float[] c, float z, float constant, bool fused, bool leadingOne)
        {
            float acc = c[^1];
            for (int k = c.Length - 2; k >= 0; k--)
            {
                acc = MultiplyAdd(acc, z, c[k], fused);
            }
            return leadingOne ? MultiplyAdd(acc, z, constant, fused) : acc;
        }

        private static float MultiplyAdd(float a, float b, float c, bool fused) => fused ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;
    }
}
