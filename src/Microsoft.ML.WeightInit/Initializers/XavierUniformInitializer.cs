using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Xavier (Glorot) uniform: U(−a, a) with a = gain · √(6 / (fan_in + fan_out)). PyTorch's
    /// <c>torch.nn.init.xavier_uniform_(tensor, gain=1.0)</c>; Glorot &amp; Bengio, "Understanding the difficulty of
    /// training deep feedforward neural networks" (AISTATS 2010). Tensor of ≥ 2 dims. Text form:
    /// <c>xavier_uniform(gain=1)</c>.
    /// </summary>
    /// <param name="Gain">Scaling factor (default 1), e.g. <see cref="Initializers.Gain.Calculate(Nonlinearity, double?)"/>.</param>
    public sealed record XavierUniformInitializer(double Gain = 1.0) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "xavier_uniform";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">gain is not finite, or negative.</exception>
        public override void ValidateParameters() => XavierStd.ValidateGain(Gain);

        /// <summary>The bound a for a weight shape.</summary>
        /// <param name="shape">Weight shape (≥ 2 dims, fan_in + fan_out &gt; 0).</param>
        /// <returns>a = √3 · gain · √(2 / (fan_in + fan_out)), computed in PyTorch's order.</returns>
        /// <exception cref="ArgumentException">Fewer than 2 dims, or fan_in + fan_out = 0.</exception>
        public double Bound(IReadOnlyList<long> shape) => Math.Sqrt(3.0) * XavierStd.Of(shape, Gain, "tensor");

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            double a = Math.Sqrt(3.0) * XavierStd.Of(tensor.shape, Gain, context.ParameterName);
            FillUniform(tensor, -a, a, context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            double a = Bound(shape);
            return DistributionTheory.Uniform(-a, a);
        }
    }
}
