using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Fills with 1: PyTorch's <c>torch.nn.init.ones_(tensor)</c>. Any shape. Text form: <c>ones</c>.</summary>
    public sealed record OnesInitializer : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "ones";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillConstant(tensor, 1);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            DistributionTheory.Constant(1);
    }
}
