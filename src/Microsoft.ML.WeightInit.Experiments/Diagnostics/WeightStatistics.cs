using System;
using System.Collections.Generic;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>Mean, standard deviation, min and max of parameters, with their schemes' theoretical moments.</summary>
    public static class WeightStatistics
    {
        /// <summary>Statistics of one tensor.</summary>
        /// <param name="tensor">The values (any float dtype; computed in float64).</param>
        /// <param name="parameterName">Name to report, e.g. <c>conv1.weight</c>.</param>
        /// <param name="initializer">The initializer that filled it, or null.</param>
        /// <param name="role">Weight or bias (for the theory).</param>
        /// <param name="weightShape">Shape of the layer's weight (for the theory of a bias); null means the tensor's own.</param>
        /// <returns>The statistics.</returns>
        public static ParameterStatistics Of(torch.Tensor tensor, string parameterName, IWeightInitializer? initializer = null,
            ParameterRole role = ParameterRole.Weight, IReadOnlyList<long>? weightShape = null)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(parameterName);
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = tensor.detach().to_type(torch.ScalarType.Float64);
            long n = x.numel();
            double mean = n == 0 ? double.NaN : x.mean().item<double>();
            double std = n < 2 ? 0 : x.std().item<double>();
            double min = n == 0 ? double.NaN : x.min().item<double>();
            double max = n == 0 ? double.NaN : x.max().item<double>();
            DistributionTheory? theory = null;
            if (initializer is ITheoreticalDistribution known)
            {
                try
                {
                    theory = known.Describe(tensor.shape, role, weightShape ?? tensor.shape);
                }
                catch (ArgumentException)
                {
                    theory = null;
                }
            }
            return new ParameterStatistics(parameterName, tensor.shape, initializer?.TextForm ?? "?", mean, std, min, max, theory);
        }

        /// <summary>Statistics of every weight and bias of a network initialized with <paramref name="plan"/>.</summary>
        /// <param name="layers">The layers, in order.</param>
        /// <param name="plan">The plan they were initialized with (for the schemes and theories; with
        /// <see cref="InitializerPlan.ZeroLastLayer"/> applied).</param>
        /// <returns>conv1.weight, conv1.bias, conv2.weight, … in layer order.</returns>
        internal static IReadOnlyList<ParameterStatistics> Of(IReadOnlyList<IParameterizedLayer> layers, InitializerPlan plan)
        {
            ArgumentNullException.ThrowIfNull(layers);
            ArgumentNullException.ThrowIfNull(plan);
            var result = new List<ParameterStatistics>();
            for (int i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                result.Add(Of(layer.Weight, layer.LayerName + ".weight", NetworkInitializer.Effective(plan, layers, i, ParameterRole.Weight),
                    ParameterRole.Weight, layer.Weight.shape));
                result.Add(Of(layer.Bias, layer.LayerName + ".bias", NetworkInitializer.Effective(plan, layers, i, ParameterRole.Bias),
                    ParameterRole.Bias, layer.Weight.shape));
            }
            return result;
        }
    }
}
