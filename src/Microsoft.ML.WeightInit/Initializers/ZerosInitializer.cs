using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Fills with 0: PyTorch's <c>torch.nn.init.zeros_(tensor)</c>. Any shape. Text form: <c>zeros</c>.</summary>
    public sealed record ZerosInitializer : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "zeros";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillConstant(tensor, 0);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            DistributionTheory.Constant(0);
    }
}
