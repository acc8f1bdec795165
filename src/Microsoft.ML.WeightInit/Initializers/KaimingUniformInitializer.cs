using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Kaiming (He) uniform: U(−bound, bound) with bound = gain · √(3 / fan), gain = calculate_gain(nonlinearity, a)
    /// and fan = fan_in or fan_out by <paramref name="Mode"/>. PyTorch's
    /// <c>torch.nn.init.kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')</c>; He, Zhang, Ren
    /// &amp; Sun, "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification" (ICCV
    /// 2015). Tensor of ≥ 2 dims; a zero-element tensor is left as is (any dims, as PyTorch). Text form:
    /// <c>kaiming_uniform(a=0, mode=fan_in, nonlinearity=leaky_relu)</c>.
    /// </summary>
    /// <param name="A">Negative slope of the rectifier after the layer (used by leaky_relu only; default 0).</param>
    /// <param name="Mode">fan_in (default) keeps forward activations' variance; fan_out keeps gradients'.</param>
    /// <param name="Nonlinearity">The nonlinearity after the layer (default leaky_relu, as PyTorch).</param>
    public sealed record KaimingUniformInitializer(
        double A = 0,
        FanMode Mode = FanMode.FanIn,
        Nonlinearity Nonlinearity = Nonlinearity.LeakyRelu) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "kaiming_uniform";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">a is not finite, or mode/nonlinearity is not a defined value.</exception>
        public override void ValidateParameters() => KaimingStd.Validate(A, Mode, Nonlinearity);

        /// <summary>The bound for a weight shape.</summary>
        /// <param name="shape">Weight shape (≥ 2 dims, non-empty).</param>
        /// <returns>bound = √3 · gain / √fan, computed in PyTorch's order.</returns>
        /// <exception cref="ArgumentException">Fewer than 2 dims.</exception>
        public double Bound(IReadOnlyList<long> shape) => Math.Sqrt(3.0) * KaimingStd.Of(shape, A, Mode, Nonlinearity, "tensor");

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            if (tensor.numel() == 0)
            {
                return;
            }
            double bound = Math.Sqrt(3.0) * KaimingStd.Of(tensor.shape, A, Mode, Nonlinearity, context.ParameterName);
            FillUniform(tensor, -bound, bound, context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            double bound = Bound(shape);
            return DistributionTheory.Uniform(-bound, bound);
        }
    }
}
