using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Xavier (Glorot) uniform: U(−a, a) with a = gain · √(6 / (fan_in + fan_out)). PyTorch's
    /// <c>torch.nn.init.xavier_uniform_(tensor, gain=1.0)</c>; Glorot &amp; Bengio, "Understanding the difficulty of
    /// training deep feedforward neural networks" (2010). Tensor of ≥ 2 dims. Text form: <c>xavier_uniform(gain=1)</c>.
    /// </summary>
    /// <param name="Gain">Scaling factor (default 1).</param>
    public sealed record XavierUniformInitializer(double Gain = 1.0) : WeightInitializer
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "xavier_uniform";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        protected override IEnumerable<KeyValuePair<string, object>> Parameters => new[] { P("gain", Gain) };

        /// <summary>The bound a for a weight shape.</summary>
        /// <param name="shape">Weight shape (≥ 2 dims).</param>
        /// <returns>a = gain · √3 · √(2 / (fan_in + fan_out)), computed in PyTorch's order.</returns>
        /// <exception cref="ArgumentException">Fewer than 2 dims.</exception>
        public double Bound(IReadOnlyList<long> shape)
        {
            var (fanIn, fanOut) = Fans.Compute(shape);
            double std = Gain * Math.Sqrt(2.0 / (double)(fanIn + fanOut));
            return Math.Sqrt(3.0) * std;
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            var (fanIn, fanOut) = Fans.Compute(tensor.shape, context.ParameterName);
            double std = Gain * Math.Sqrt(2.0 / (double)(fanIn + fanOut));
            double a = Math.Sqrt(3.0) * std;
            FillUniform(tensor, -a, a, context);
        }
    }
}
