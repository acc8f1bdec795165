using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// One basic residual block of <c>resnet</c> (He et al. 2016, "Deep Residual Learning for Image Recognition", the
    /// two-convolution block): [2×2 max-pool when the block starts a stage] → conv1 (3×3, zero padding 1) → ReLU →
    /// conv2 (3×3, zero padding 1) → + shortcut → ReLU. The shortcut is the identity, or, where the block starts a stage
    /// (channels change), a 1×1 projection convolution of the pooled input. State-dict keys <c>conv1.weight</c>,
    /// <c>conv2.weight</c>, <c>shortcut.weight</c> (and biases) under the block's prefix <c>blocks.{k}</c>; every
    /// convolution runs on the verified <see cref="ConvolutionPath"/>.
    /// </summary>
    internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006, SA1307 // Field names are the PyTorch module names (state_dict keys); registered in this order.
        private readonly Conv2dLayer conv1;
        private readonly Conv2dLayer conv2;
        private readonly Conv2dLayer? shortcut;
#pragma warning restore IDE1006, SA1307

        /// <summary>Creates the block with uninitialized parameters.</summary>
        /// <param name="spec">Index, input and output channels, whether the block starts a stage.</param>
        /// <param name="path">How the convolutions are computed.</param>
        public ResidualBlock(ResNetNetwork.BlockSpec spec, ConvolutionPath path)
            : base(ResNetNetwork.BlockName(spec.Index))
        {
            string prefix = ResNetNetwork.BlockName(spec.Index);
            conv1 = new Conv2dLayer(prefix + ".conv1", spec.In, spec.Out, ResNetNetwork.Kernel, path);
            conv2 = new Conv2dLayer(prefix + ".conv2", spec.Out, spec.Out, ResNetNetwork.Kernel, path);
            if (spec.Downsample)
            {
                shortcut = new Conv2dLayer(prefix + ".shortcut", spec.In, spec.Out, 1, path);
            }
            RegisterComponents();
        }

        /// <summary>conv1, conv2 and, in a block that starts a stage, the shortcut projection (construction order).</summary>
        public IReadOnlyList<Conv2dLayer> Layers => shortcut is null ? new[] { conv1, conv2 } : new[] { conv1, conv2, shortcut };

        /// <summary>N × In × H × W → N × Out × H × W (H/2 × W/2, rounded down, in a block that starts a stage).</summary>
        /// <param name="input">The block's input (the previous block's or the stem's output).</param>
        /// <returns>ReLU(residual branch + shortcut).</returns>
        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return Run(input, null).MoveToOuterDisposeScope();
        }

        /// <summary>The shortcut path alone: the input, or the projection of the pooled input (what the block computes
        /// when its residual branch gives zero, as with <c>blocks.*.conv2.weight=zeros</c> and zero biases, before the
        /// final ReLU).</summary>
        /// <param name="input">The block's input.</param>
        /// <returns>The shortcut's output.</returns>
        public Tensor Shortcut(Tensor input)
        {
            using var scope = NewDisposeScope();
            return (shortcut is null ? input.alias() : shortcut.forward(F.max_pool2d(input, 2, 2))).MoveToOuterDisposeScope();
        }

        /// <summary>The block; with <paramref name="outputs"/>, appends the output of each of <see cref="Layers"/>.</summary>
        internal Tensor Run(Tensor input, List<Tensor>? outputs)
        {
            var x = shortcut is null ? input : F.max_pool2d(input, 2, 2);
            var h = conv1.forward(ResNetNetwork.Pad(x));
            outputs?.Add(h);
            h = conv2.forward(ResNetNetwork.Pad(F.relu(h)));
            outputs?.Add(h);
            var s = x;
            if (shortcut is not null)
            {
                s = shortcut.forward(x);
                outputs?.Add(s);
            }
            return F.relu(h + s);
        }
    }
}
