using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Truncated normal: N(mean, std²) restricted to [a, b] (absolute bounds, not in units of std). PyTorch's
    /// <c>torch.nn.init.trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0)</c>, with its algorithm: a uniform in
    /// CDF space, U(2Φ(α) − 1, 2Φ(β) − 1), mapped through erfinv, scaled by std·√2, shifted by mean, clamped to
    /// [a, b] (α = (a − mean)/std, β = (b − mean)/std); one draw per element, no rejection. Any shape.
    /// Text form: <c>trunc_normal(mean=0, std=1, a=-2, b=2)</c>.
    /// </summary>
    /// <remarks>
    /// PyTorch only warns when mean is more than 2 std outside [a, b]; so does nothing here (the values are still in
    /// [a, b]). A std of 0, which makes PyTorch divide by zero, is rejected.
    /// </remarks>
    /// <param name="Mean">Mean of the untruncated normal (default 0).</param>
    /// <param name="Std">Standard deviation of the untruncated normal (default 1; &gt; 0).</param>
    /// <param name="A">Lower cutoff (default −2).</param>
    /// <param name="B">Upper cutoff (default 2; ≥ <paramref name="A"/>).</param>
    public sealed record TruncNormalInitializer(double Mean = 0, double Std = 1, double A = -2, double B = 2)
        : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "trunc_normal";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">A parameter is not finite, std ≤ 0, or a &gt; b.</exception>
        public override void ValidateParameters()
        {
            RequireFinite("mean", Mean);
            RequireFinite("std", Std);
            RequireFinite("a", A);
            RequireFinite("b", B);
            if (!(Std > 0))
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"trunc_normal expects std > 0, but found std {Std}"), "std");
            }
            if (A > B)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"trunc_normal expects a <= b, but found a={A} > b={B}"), "a");
            }
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillTruncatedNormal(tensor, Mean, Std, A, B, context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            ValidateParameters();
            return DistributionTheory.TruncatedNormal(Mean, Std, A, B);
        }
    }
}
