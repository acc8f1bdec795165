using System;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The recommended gain for a nonlinearity: PyTorch's <c>torch.nn.init.calculate_gain</c>, same table, same
    /// defaults, same errors.
    /// </summary>
    public static class Gain
    {
        /// <summary>PyTorch's default negative slope for <c>leaky_relu</c> in <c>calculate_gain</c>: 0.01.</summary>
        public const double DefaultLeakyReluSlope = 0.01;

        /// <summary>
        /// Returns the gain: 1 for linear, conv and sigmoid; 5/3 for tanh; √2 for relu; √(2 / (1 + slope²)) for
        /// leaky_relu (slope = <paramref name="param"/>, default 0.01); 3/4 for selu.
        /// </summary>
        /// <param name="nonlinearity">The nonlinearity after the layer.</param>
        /// <param name="param">The negative slope of leaky_relu; ignored by the other nonlinearities.</param>
        /// <returns>The gain (dimensionless).</returns>
        /// <exception cref="ArgumentException"><paramref name="param"/> is not finite for leaky_relu.</exception>
        public static double Calculate(Nonlinearity nonlinearity, double? param = null)
        {
            switch (nonlinearity)
            {
                case Nonlinearity.Linear:
                case Nonlinearity.Conv1d:
                case Nonlinearity.Conv2d:
                case Nonlinearity.Conv3d:
                case Nonlinearity.ConvTranspose1d:
                case Nonlinearity.ConvTranspose2d:
                case Nonlinearity.ConvTranspose3d:
                case Nonlinearity.Sigmoid:
                    return 1.0;
                case Nonlinearity.Tanh:
                    return 5.0 / 3;
                case Nonlinearity.Relu:
                    return Math.Sqrt(2.0);
                case Nonlinearity.LeakyRelu:
                    double slope = param ?? DefaultLeakyReluSlope;
                    if (double.IsNaN(slope) || double.IsInfinity(slope))
                    {
                        throw new ArgumentException($"negative_slope {slope} is not a valid number for leaky_relu.", nameof(param));
                    }
                    return Math.Sqrt(2.0 / (1 + slope * slope));
                case Nonlinearity.Selu:
                    return 3.0 / 4;
                default:
                    throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}.", nameof(nonlinearity));
            }
        }

        /// <summary>Same as <see cref="Calculate(Nonlinearity, double?)"/> with PyTorch's text name.</summary>
        /// <param name="nonlinearity">A PyTorch name: linear, conv1d, conv2d, conv3d, conv_transpose1d/2d/3d, sigmoid,
        /// tanh, relu, leaky_relu, selu.</param>
        /// <param name="param">The negative slope of leaky_relu.</param>
        /// <returns>The gain.</returns>
        /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones) or bad param.</exception>
        public static double Calculate(string nonlinearity, double? param = null) =>
            Calculate(TextNames.ParseNonlinearity(nonlinearity, nameof(nonlinearity)), param);
    }
}
