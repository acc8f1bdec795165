using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// A stride-1, unpadded 2-D convolution (PyTorch's <c>nn.Conv2d(in, out, k, 1)</c>) whose kernel runs along a
    /// chosen <see cref="ConvolutionPath"/>. Parameters are created uninitialized; <see cref="NetworkInitializer"/>
    /// fills them.
    /// </summary>
    internal sealed class Conv2dLayer : nn.Module<Tensor, Tensor>, IParameterizedLayer
    {
#pragma warning disable IDE1006, SA1307 // state_dict keys come from field names: PyTorch's "weight"/"bias".
        private readonly Parameter weight;
        private readonly Parameter bias;
#pragma warning restore IDE1006, SA1307

        /// <summary>Creates the layer.</summary>
        /// <param name="name">Layer name, e.g. <c>conv1</c>.</param>
        /// <param name="inChannels">Input channels C.</param>
        /// <param name="outChannels">Output channels O.</param>
        /// <param name="kernelSize">Square kernel size k.</param>
        /// <param name="path">Convolution path.</param>
        public Conv2dLayer(string name, long inChannels, long outChannels, long kernelSize, ConvolutionPath path)
            : base(name)
        {
            if (inChannels < 1 || outChannels < 1 || kernelSize < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(kernelSize), "Channels and kernel size must be positive.");
            }
            // Parameter wraps a new handle on the same storage: the temporaries are freed right away.
            using (var w = empty(outChannels, inChannels, kernelSize, kernelSize))
            using (var b = empty(outChannels))
            {
                weight = new Parameter(w);
                bias = new Parameter(b);
            }
            Path = path;
            RegisterComponents();
        }

        /// <inheritdoc/>
        public string LayerName => GetName();

        /// <inheritdoc/>
        public Parameter Weight => weight;

        /// <inheritdoc/>
        public Parameter Bias => bias;

        /// <summary>How the convolution is computed.</summary>
        public ConvolutionPath Path { get; set; }

        /// <summary>N × C × H × W → N × O × (H − k + 1) × (W − k + 1).</summary>
        /// <param name="input">The input batch.</param>
        /// <returns>The convolution plus bias.</returns>
        public override Tensor forward(Tensor input) => Convolution.Conv2d(input, weight, bias, Path);
    }
}
