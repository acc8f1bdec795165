using System.Collections.Generic;
using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Uniform: U(a, b). PyTorch's <c>torch.nn.init.uniform_(tensor, a=0.0, b=1.0)</c>. Any shape.
    /// Text form: <c>uniform(a=0, b=1)</c>.
    /// </summary>
    /// <param name="A">Lower bound (default 0).</param>
    /// <param name="B">Upper bound (default 1; ≥ <paramref name="A"/>).</param>
    public sealed record UniformInitializer(double A = 0, double B = 1) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "uniform";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="System.ArgumentException">a or b is not finite, or a &gt; b (PyTorch's message).</exception>
        public override void ValidateParameters()
        {
            RequireFinite("a", A);
            RequireFinite("b", B);
            if (A > B)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"uniform_ expects to return a [from, to) range, but found from={A} > to={B}"), "a");
            }
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillUniform(tensor, A, B, context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            DistributionTheory.Uniform(A, B);
    }
}
