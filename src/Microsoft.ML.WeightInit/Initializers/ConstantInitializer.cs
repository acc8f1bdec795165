using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Fills with a constant: PyTorch's <c>torch.nn.init.constant_(tensor, val)</c>. Any shape.
    /// Text form: <c>constant(val=0.5)</c>.
    /// </summary>
    /// <param name="Value">The value every element takes (<c>val</c>).</param>
    public sealed record ConstantInitializer(double Value) : WeightInitializer
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "constant";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, object>> Parameters => new[] { P("val", Value) };

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context) => FillConstant(tensor, Value);
    }

    /// <summary>Fills with 0: PyTorch's <c>torch.nn.init.zeros_</c>. Any shape. Text form: <c>zeros</c>.</summary>
    public sealed record ZerosInitializer : WeightInitializer
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "zeros";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context) => FillConstant(tensor, 0);
    }

    /// <summary>Fills with 1: PyTorch's <c>torch.nn.init.ones_</c>. Any shape. Text form: <c>ones</c>.</summary>
    public sealed record OnesInitializer : WeightInitializer
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "ones";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context) => FillConstant(tensor, 1);
    }
}
