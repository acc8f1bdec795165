using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>
    /// How much one layer multiplies the forward signal's variance at initialization, measured and predicted. For a
    /// layer y_l = W_l·φ(y_{l−1}) with zero biases and zero-mean symmetric y_{l−1}, Var(y_l) / Var(y_{l−1}) =
    /// fan_in · Var(W_l) · c, where c = E[φ(y)²] / Var(y) is ½ for ReLU and 1 for the identity (He et al. 2015, eq. 7):
    /// 1 for Kaiming, ½ for Xavier on square layers, 1/6 for PyTorch's default reset.
    /// </summary>
    /// <param name="LayerName">The layer (<c>layers.5</c>).</param>
    /// <param name="Measured">(std of its output / std of the previous layer's output)², on the batch.</param>
    /// <param name="Theory">fan_in · (std of its weights)² · c with the weights as drawn; NaN where the formula does
    /// not apply (tanh and SELU, pooling, global averaging or batch normalization between the layers, the first layer).</param>
    public sealed record LayerVarianceRatio(string LayerName, double Measured, double Theory)
    {
        /// <summary>The ratios of every layer after the first, from an <see cref="InitializationReport"/>.</summary>
        /// <param name="report">The measured network.</param>
        /// <param name="architecture">Its architecture (for the activation and the layout).</param>
        /// <returns>One entry per layer but the first, in order.</returns>
        public static IReadOnlyList<LayerVarianceRatio> Of(InitializationReport report, NetworkArchitecture architecture)
        {
            ArgumentNullException.ThrowIfNull(report);
            ArgumentNullException.ThrowIfNull(architecture);
            var layers = report.Signal.Layers;
            var weights = report.Parameters.Where(p => p.ParameterName.EndsWith(".weight", StringComparison.Ordinal)).ToList();
            double c = architecture.Activation switch
            {
                NetworkActivation.Relu => 0.5,
                NetworkActivation.Linear => 1.0,
                _ => double.NaN,
            };
            var direct = DirectlyConnected(architecture, report);
            var result = new List<LayerVarianceRatio>();
            for (int l = 1; l < layers.Count; l++)
            {
                double ratio = layers[l].OutputStd / layers[l - 1].OutputStd;
                var w = weights[l];
                double fanIn = w.Shape.Skip(1).Aggregate(1.0, (a, b) => a * b);
                double theory = direct[l] ? fanIn * w.Std * w.Std * c : double.NaN;
                result.Add(new LayerVarianceRatio(layers[l].LayerName, ratio * ratio, theory));
            }
            return result;
        }

        /// <summary>Whether layer l's input is exactly φ(output of layer l − 1) (no pooling, averaging or batch
        /// normalization between).</summary>
        private static bool[] DirectlyConnected(NetworkArchitecture architecture, InitializationReport report)
        {
            int n = report.Signal.Layers.Count;
            var direct = new bool[n];
            if (architecture.Kind == ArchitectureKind.Mlp)
            {
                for (int l = 1; l < n; l++)
                {
                    direct[l] = true;
                }
            }
            else if (architecture.Kind == ArchitectureKind.PlainCnn && !architecture.BatchNorm)
            {
                var layout = PlainCnnNetwork.Layout(architecture, ImageShape.Mnist);
                for (int l = 1; l < n - 1 && l < layout.Count; l++)
                {
                    direct[l] = !layout[l - 1].PoolAfter;
                }
            }
            return direct;
        }
    }
}
