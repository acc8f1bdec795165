using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Fills with a constant: PyTorch's <c>torch.nn.init.constant_(tensor, val)</c>. Any shape. Text form:
    /// <c>constant(val=0.5)</c> (<c>val</c> is required, as in PyTorch).
    /// </summary>
    /// <param name="Value">The value every element takes (<c>val</c>); any number, NaN and ±∞ included, as PyTorch.</param>
    public sealed record ConstantInitializer([TextName("val")] double Value) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "constant";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillConstant(tensor, Value);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            DistributionTheory.Constant(Value);
    }
}
