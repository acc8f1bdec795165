using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Xavier (Glorot) normal: N(0, std²) with std = gain · √(2 / (fan_in + fan_out)). PyTorch's
    /// <c>torch.nn.init.xavier_normal_(tensor, gain=1.0)</c>; Glorot &amp; Bengio, "Understanding the difficulty of
    /// training deep feedforward neural networks" (AISTATS 2010). Tensor of ≥ 2 dims. Text form:
    /// <c>xavier_normal(gain=1)</c>. (TorchSharp's own <c>torch.nn.init.xavier_normal_</c> draws a uniform; this one
    /// draws a normal, as PyTorch.)
    /// </summary>
    /// <param name="Gain">Scaling factor (default 1).</param>
    public sealed record XavierNormalInitializer(double Gain = 1.0) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "xavier_normal";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">gain is not finite, or negative.</exception>
        public override void ValidateParameters() => XavierStd.ValidateGain(Gain);

        /// <summary>The standard deviation for a weight shape.</summary>
        /// <param name="shape">Weight shape (≥ 2 dims, fan_in + fan_out &gt; 0).</param>
        /// <returns>std = gain · √(2 / (fan_in + fan_out)).</returns>
        /// <exception cref="ArgumentException">Fewer than 2 dims, or fan_in + fan_out = 0.</exception>
        public double Std(IReadOnlyList<long> shape) => XavierStd.Of(shape, Gain, "tensor");

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillNormal(tensor, 0.0, XavierStd.Of(tensor.shape, Gain, context.ParameterName), context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            DistributionTheory.Normal(0, Std(shape));
    }
}
