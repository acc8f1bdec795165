using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// A fully connected layer, y = x Wᵀ + b (PyTorch's <c>nn.Linear(in, out)</c>). Parameters are created
    /// uninitialized; <see cref="NetworkInitializer"/> fills them.
    /// </summary>
    internal sealed class LinearLayer : nn.Module<Tensor, Tensor>, IParameterizedLayer
    {
#pragma warning disable IDE1006, SA1307 // state_dict keys come from field names: PyTorch's "weight"/"bias".
        private readonly Parameter weight;
        private readonly Parameter bias;
#pragma warning restore IDE1006, SA1307

        /// <summary>Creates the layer.</summary>
        /// <param name="name">Layer name, e.g. <c>fc1</c>.</param>
        /// <param name="inFeatures">Input features.</param>
        /// <param name="outFeatures">Output features.</param>
        public LinearLayer(string name, long inFeatures, long outFeatures)
            : base(name)
        {
            if (inFeatures < 1 || outFeatures < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(outFeatures), "Feature counts must be positive.");
            }
            // Parameter wraps a new handle on the same storage: the temporaries are freed right away.
            using (var w = empty(outFeatures, inFeatures))
            using (var b = empty(outFeatures))
            {
                weight = new Parameter(w);
                bias = new Parameter(b);
            }
            RegisterComponents();
        }

        /// <inheritdoc/>
        public string LayerName => GetName();

        /// <inheritdoc/>
        public Parameter Weight => weight;

        /// <inheritdoc/>
        public Parameter Bias => bias;

        /// <summary>N × in → N × out.</summary>
        /// <param name="input">The input batch.</param>
        /// <returns>x Wᵀ + b.</returns>
        public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
    }
}
