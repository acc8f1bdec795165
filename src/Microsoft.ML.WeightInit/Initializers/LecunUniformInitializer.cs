using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// LeCun uniform: U(−√(3 / fan_in), √(3 / fan_in)). Keras' <c>keras.initializers.LecunUniform</c>, i.e.
    /// <c>variance_scaling(scale=1, mode=fan_in, distribution=uniform)</c>, which it draws exactly as; LeCun, Bottou,
    /// Orr &amp; Müller, "Efficient BackProp" (1998). Text form: <c>lecun_uniform</c>.
    /// </summary>
    /// <remarks>
    /// A named instance, not an alias: it keeps its own text form, and it is not <c>Equals</c> to the
    /// <see cref="VarianceScalingInitializer"/> it draws as (<see cref="AsVarianceScaling"/>).
    /// </remarks>
    public sealed record LecunUniformInitializer : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "lecun_uniform";

        /// <summary>The variance scaling this scheme draws as.</summary>
        public static VarianceScalingInitializer AsVarianceScaling { get; } =
            new(1.0, VarianceScalingMode.FanIn, VarianceScalingDistribution.Uniform);

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context) => AsVarianceScaling.Initialize(tensor, context);

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            AsVarianceScaling.Describe(shape, role, weightShape);
    }
}
