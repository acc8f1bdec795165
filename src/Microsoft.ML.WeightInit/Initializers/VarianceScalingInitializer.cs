using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Variance scaling, as Keras' <c>keras.initializers.VarianceScaling(scale=1.0, mode="fan_in",
    /// distribution="truncated_normal")</c>: values with mean 0 and variance scale / n, where n = max(1, fan) and fan
    /// is fan_in, fan_out or (fan_in + fan_out)/2 by <paramref name="Mode"/>; drawn from a normal truncated at ±2σ
    /// (σ = √(scale/n) / 0.87962566103423978, so the truncated values have standard deviation √(scale/n)), a plain
    /// normal, or U(±√(3·scale/n)) by <paramref name="Distribution"/>. Fans are PyTorch's for PyTorch's weight layout
    /// (they equal Keras' for the same layer); as in Keras, a 1-D tensor has fan_in = fan_out = its length and a
    /// scalar 1. The truncated normal uses PyTorch's trunc_normal_ algorithm (inverse CDF), not Keras' rejection
    /// sampling: same distribution, different draws. Text form:
    /// <c>variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal)</c>; <c>distribution=untruncated_normal</c>
    /// (Keras' name) reads as <c>normal</c>. Unlike Keras' legacy alias, <c>normal</c> means the untruncated normal.
    /// </summary>
    /// <param name="Scale">Scaling factor (default 1; &gt; 0).</param>
    /// <param name="Mode">fan_in (default), fan_out or fan_avg.</param>
    /// <param name="Distribution">truncated_normal (default), normal or uniform.</param>
    public sealed record VarianceScalingInitializer(
        double Scale = 1.0,
        VarianceScalingMode Mode = VarianceScalingMode.FanIn,
        VarianceScalingDistribution Distribution = VarianceScalingDistribution.TruncatedNormal)
        : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "variance_scaling";

        /// <summary>Standard deviation of N(0, 1) truncated to [−2, 2] (Keras' correction constant).</summary>
        public const double TruncatedStdCorrection = 0.87962566103423978;

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">scale is not a positive finite number, or mode/distribution is not a
        /// defined value.</exception>
        public override void ValidateParameters()
        {
            if (!(Scale > 0) || !double.IsFinite(Scale))
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"Argument `scale` must be positive float. Received: scale={Scale}"), "scale");
            }
            if (!Enum.IsDefined(Mode))
            {
                throw new ParameterException($"Unsupported mode {(int)Mode}. Valid: fan_in, fan_out, fan_avg.", "mode");
            }
            if (!Enum.IsDefined(Distribution))
            {
                throw new ParameterException($"Unsupported distribution {(int)Distribution}. Valid: truncated_normal, normal, uniform.", "distribution");
            }
        }

        /// <summary>The target variance scale / max(1, fan) for a shape.</summary>
        /// <param name="shape">Tensor shape (any number of dims).</param>
        /// <returns>The variance of the values.</returns>
        public double Variance(IReadOnlyList<long> shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            long fanIn, fanOut;
            if (shape.Count >= 2)
            {
                (fanIn, fanOut) = Fans.Compute(shape);
            }
            else
            {
                fanIn = fanOut = shape.Count == 1 ? shape[0] : 1;
            }
            double fan = Mode switch
            {
                VarianceScalingMode.FanIn => fanIn,
                VarianceScalingMode.FanOut => fanOut,
                _ => (fanIn + fanOut) / 2.0,
            };
            return Scale / Math.Max(1.0, fan);
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            double variance = Variance(tensor.shape);
            switch (Distribution)
            {
                case VarianceScalingDistribution.TruncatedNormal:
                    double std = Math.Sqrt(variance) / TruncatedStdCorrection;
                    FillTruncatedNormal(tensor, 0, std, -2 * std, 2 * std, context);
                    break;
                case VarianceScalingDistribution.Normal:
                    FillNormal(tensor, 0, Math.Sqrt(variance), context);
                    break;
                default:
                    double limit = Math.Sqrt(3.0 * variance);
                    FillUniform(tensor, -limit, limit, context);
                    break;
            }
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            ValidateParameters();
            double variance = Variance(shape);
            switch (Distribution)
            {
                case VarianceScalingDistribution.TruncatedNormal:
                    double std = Math.Sqrt(variance) / TruncatedStdCorrection;
                    return DistributionTheory.TruncatedNormal(0, std, -2 * std, 2 * std);
                case VarianceScalingDistribution.Normal:
                    return DistributionTheory.Normal(0, Math.Sqrt(variance));
                default:
                    double limit = Math.Sqrt(3.0 * variance);
                    return DistributionTheory.Uniform(-limit, limit);
            }
        }
    }
}
