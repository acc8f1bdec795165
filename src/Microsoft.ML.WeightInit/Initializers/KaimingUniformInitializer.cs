using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Kaiming (He) uniform: U(−bound, bound) with bound = gain · √(3 / fan), gain = calculate_gain(nonlinearity, a)
    /// and fan = fan_in or fan_out by <paramref name="Mode"/>. PyTorch's
    /// <c>torch.nn.init.kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')</c>; He et al.,
    /// "Delving Deep into Rectifiers" (2015). Tensor of ≥ 2 dims; a zero-element tensor is left as is.
    /// Text form: <c>kaiming_uniform(a=0, mode=fan_in, nonlinearity=leaky_relu)</c>.
    /// </summary>
    /// <param name="A">Negative slope of the rectifier after the layer (used by leaky_relu only; default 0).</param>
    /// <param name="Mode">fan_in (default) keeps forward activations' variance; fan_out keeps gradients'.</param>
    /// <param name="Nonlinearity">The nonlinearity after the layer (default leaky_relu, as PyTorch).</param>
    public sealed record KaimingUniformInitializer(
        double A = 0,
        FanMode Mode = FanMode.FanIn,
        Nonlinearity Nonlinearity = Nonlinearity.LeakyRelu) : WeightInitializer
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "kaiming_uniform";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, object>> Parameters => new[]
        {
            P("a", A), P("mode", Mode), P("nonlinearity", Nonlinearity),
        };

        /// <summary>The bound for a weight shape.</summary>
        /// <param name="shape">Weight shape (≥ 2 dims).</param>
        /// <returns>bound = √3 · gain / √fan, computed in PyTorch's order.</returns>
        /// <exception cref="ArgumentException">Fewer than 2 dims.</exception>
        public double Bound(IReadOnlyList<long> shape)
        {
            long fan = Fans.Select(shape, Mode);
            double gain = Initializers.Gain.Calculate(Nonlinearity, A);
            double std = gain / Math.Sqrt(fan);
            return Math.Sqrt(3.0) * std;
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            if (tensor.numel() == 0)
            {
                return;
            }
            long fan = Fans.Select(tensor.shape, Mode, context.ParameterName);
            double gain = Initializers.Gain.Calculate(Nonlinearity, A);
            double bound = Math.Sqrt(3.0) * (gain / Math.Sqrt(fan));
            FillUniform(tensor, -bound, bound, context);
        }
    }
}
