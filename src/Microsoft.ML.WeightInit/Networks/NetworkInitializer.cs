using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Initializes a network's layers the way the PyTorch protocol does: constructing the PyTorch modules draws
    /// their default reset (weight, then bias, layer by layer), then the chosen initializers redraw what they replace,
    /// layer by layer (weight, then bias). A parameter whose initializer is <see cref="PyTorchDefaultInitializer"/>
    /// keeps its construction-time values, so with the same seed the weights equal PyTorch's bit for bit.
    /// </summary>
    public static class NetworkInitializer
    {
        /// <summary>Initializes every layer's weight and bias in place.</summary>
        /// <param name="layers">Layers in construction order.</param>
        /// <param name="generator">Generator every draw comes from (seed it for reproducible weights).</param>
        /// <param name="plan">Which initializer fills each (layer, weight/bias).</param>
        /// <exception cref="ArgumentException">An initializer rejects a parameter's shape, or the plan overrides an
        /// unknown layer.</exception>
        public static void Initialize(IReadOnlyList<IParameterizedLayer> layers, torch.Generator generator, InitializerPlan plan)
        {
            ArgumentNullException.ThrowIfNull(layers);
            ArgumentNullException.ThrowIfNull(generator);
            ArgumentNullException.ThrowIfNull(plan);
            plan.Validate(layers.Select(l => l.LayerName));
            var reset = new PyTorchDefaultInitializer();
            foreach (var layer in layers)
            {
                Fill(layer, ParameterRole.Weight, reset, generator);
                Fill(layer, ParameterRole.Bias, reset, generator);
            }
            foreach (var layer in layers)
            {
                foreach (var role in new[] { ParameterRole.Weight, ParameterRole.Bias })
                {
                    var initializer = plan.For(layer.LayerName, role);
                    if (initializer is not PyTorchDefaultInitializer)
                    {
                        Fill(layer, role, initializer, generator);
                    }
                }
            }
        }

        private static void Fill(IParameterizedLayer layer, ParameterRole role, IWeightInitializer initializer, torch.Generator generator)
        {
            var tensor = role == ParameterRole.Weight ? layer.Weight : layer.Bias;
            var context = new WeightInitContext(generator, layer.LayerName, role, layer.Weight.shape);
            initializer.Initialize(tensor, context);
        }
    }
}
