using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Which initializer fills each parameter of a network: one for weights, one for biases, and per-layer overrides
    /// by layer name (<c>conv1</c>, <c>conv2</c>, <c>fc1</c>, <c>fc2</c>).
    /// </summary>
    public sealed record InitializerPlan
    {
        /// <summary>Creates a plan.</summary>
        /// <param name="weight">Initializer of every weight without an override.</param>
        /// <param name="bias">Initializer of every bias without an override.</param>
        /// <exception cref="ArgumentNullException">An initializer is null.</exception>
        public InitializerPlan(IWeightInitializer weight, IWeightInitializer bias)
        {
            Weight = weight ?? throw new ArgumentNullException(nameof(weight));
            Bias = bias ?? throw new ArgumentNullException(nameof(bias));
        }

        /// <summary>PyTorch's own reset everywhere (what constructing the PyTorch modules does).</summary>
        public static InitializerPlan PyTorchDefault { get; } = new(new PyTorchDefaultInitializer(), new PyTorchDefaultInitializer());

        /// <summary>Initializer of every weight without an override.</summary>
        public IWeightInitializer Weight { get; init; }

        /// <summary>Initializer of every bias without an override.</summary>
        public IWeightInitializer Bias { get; init; }

        /// <summary>Weight initializers by layer name, taking precedence over <see cref="Weight"/>.</summary>
        public IReadOnlyDictionary<string, IWeightInitializer> WeightOverrides { get; init; } = new Dictionary<string, IWeightInitializer>();

        /// <summary>Bias initializers by layer name, taking precedence over <see cref="Bias"/>.</summary>
        public IReadOnlyDictionary<string, IWeightInitializer> BiasOverrides { get; init; } = new Dictionary<string, IWeightInitializer>();

        /// <summary>The initializer of a layer's weight or bias.</summary>
        /// <param name="layerName">Layer name, e.g. <c>conv2</c>.</param>
        /// <param name="role">Weight or bias.</param>
        /// <returns>The override for that layer, else the plan-wide initializer.</returns>
        public IWeightInitializer For(string layerName, ParameterRole role)
        {
            var overrides = role == ParameterRole.Weight ? WeightOverrides : BiasOverrides;
            return overrides.TryGetValue(layerName, out var initializer) ? initializer : role == ParameterRole.Weight ? Weight : Bias;
        }

        /// <summary>Checks that every override names a layer of the network.</summary>
        /// <param name="layerNames">The network's layer names.</param>
        /// <exception cref="ArgumentException">An override names an unknown layer (the message lists the layers).</exception>
        public void Validate(IEnumerable<string> layerNames)
        {
            var names = layerNames.ToList();
            foreach (var layer in WeightOverrides.Keys.Concat(BiasOverrides.Keys))
            {
                if (!names.Contains(layer))
                {
                    throw new ArgumentException(
                        $"Initializer override for unknown layer '{layer}'. Layers: {string.Join(", ", names)}.", nameof(layerNames));
                }
            }
        }

        /// <summary>Value equality over the initializers and the overrides.</summary>
        /// <param name="other">The other plan.</param>
        /// <returns>Whether both plans fill every parameter the same way.</returns>
        public bool Equals(InitializerPlan? other) =>
            other is not null && Weight.Equals(other.Weight) && Bias.Equals(other.Bias)
            && SameOverrides(WeightOverrides, other.WeightOverrides) && SameOverrides(BiasOverrides, other.BiasOverrides);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Weight, Bias, WeightOverrides.Count, BiasOverrides.Count);

        private static bool SameOverrides(IReadOnlyDictionary<string, IWeightInitializer> a, IReadOnlyDictionary<string, IWeightInitializer> b) =>
            a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
    }
}
