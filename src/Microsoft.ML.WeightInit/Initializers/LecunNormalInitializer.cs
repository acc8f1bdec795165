using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// LeCun normal: a normal truncated at ±2σ with standard deviation (after truncation) √(1 / fan_in). Keras'
    /// <c>keras.initializers.LecunNormal</c>, i.e. <c>variance_scaling(scale=1, mode=fan_in,
    /// distribution=truncated_normal)</c>, which it draws exactly as (same values for the same generator state);
    /// LeCun, Bottou, Orr &amp; Müller, "Efficient BackProp" (1998), and the initialization of self-normalizing
    /// networks (Klambauer et al., 2017). Text form: <c>lecun_normal</c>.
    /// </summary>
    /// <remarks>
    /// A named instance, not an alias: it keeps its own text form, and it is not <c>Equals</c> to the
    /// <see cref="VarianceScalingInitializer"/> it draws as (<see cref="AsVarianceScaling"/>), since text forms
    /// identify initializers.
    /// </remarks>
    public sealed record LecunNormalInitializer : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "lecun_normal";

        /// <summary>The variance scaling this scheme draws as.</summary>
        public static VarianceScalingInitializer AsVarianceScaling { get; } =
            new(1.0, VarianceScalingMode.FanIn, VarianceScalingDistribution.TruncatedNormal);

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context) => AsVarianceScaling.Initialize(tensor, context);

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape) =>
            AsVarianceScaling.Describe(shape, role, weightShape);
    }
}
