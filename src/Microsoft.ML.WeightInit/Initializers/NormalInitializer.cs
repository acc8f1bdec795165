using System.Collections.Generic;
using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Normal: N(mean, std²). PyTorch's <c>torch.nn.init.normal_(tensor, mean=0.0, std=1.0)</c>. Any shape.
    /// Text form: <c>normal(mean=0, std=1)</c>.
    /// </summary>
    /// <param name="Mean">Mean (default 0).</param>
    /// <param name="Std">Standard deviation (default 1; ≥ 0).</param>
    public sealed record NormalInitializer(double Mean = 0, double Std = 1) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "normal";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="System.ArgumentException">mean or std is not finite, or std &lt; 0 (PyTorch's message).</exception>
        public override void ValidateParameters()
        {
            RequireFinite("mean", Mean);
            RequireFinite("std", Std);
            if (Std < 0)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"normal expects std >= 0.0, but found std {Std}"), "std");
            }
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            FillNormal(tensor, Mean, Std, context);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            DistributionTheory.Normal(Mean, Std);
    }
}
