using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// PyTorch's own reset of <c>nn.Conv2d</c> and <c>nn.Linear</c> (<c>reset_parameters</c>): the weight gets
    /// <c>kaiming_uniform_(w, a=√5)</c>, i.e. U(±1/√fan_in); the bias gets U(±1/√fan_in) with fan_in of the
    /// layer's weight (0 when fan_in is 0). Text form: <c>pytorch_default</c>.
    /// </summary>
    public sealed record PyTorchDefaultInitializer : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "pytorch_default";

        /// <summary>The weight part: Kaiming uniform with a = √5 (leaky_relu, fan_in).</summary>
        public static KaimingUniformInitializer WeightScheme { get; } = new(A: Math.Sqrt(5));

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            if (context.Role == ParameterRole.Weight)
            {
                WeightScheme.Initialize(tensor, context);
                return;
            }
            double bound = BiasBound(context.WeightShape, context.LayerName + ".weight");
            FillUniform(tensor, -bound, bound, context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            if (role == ParameterRole.Weight)
            {
                return WeightScheme.Describe(shape, role, weightShape);
            }
            double bound = BiasBound(weightShape, "weight");
            return DistributionTheory.Uniform(-bound, bound);
        }

        private static double BiasBound(IReadOnlyList<long> weightShape, string weightName)
        {
            long fanIn = Fans.Compute(weightShape, weightName).FanIn;
            return fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        }
    }
}
