using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// One basic residual block of <c>resnet</c> (He et al. 2016, "Deep Residual Learning for Image Recognition", the
    /// two-convolution block): [2×2 max-pool when the block starts a stage] → conv1 (3×3, zero padding 1) → [bn1] →
    /// ReLU → conv2 (3×3, zero padding 1) → [bn2] → + shortcut → ReLU. The shortcut is the identity, or, where the block
    /// starts a stage (channels change), a 1×1 projection convolution of the pooled input [→ shortcut_bn]. The batch
    /// normalizations ([…]) exist with <c>batch_norm=true</c>. State-dict keys <c>conv1.weight</c>, <c>bn1.weight</c>,
    /// <c>conv2.weight</c>, <c>bn2.weight</c>, <c>shortcut.weight</c>, <c>shortcut_bn.weight</c> (and biases, and the
    /// normalizations' running statistics) under the block's prefix <c>blocks.{k}</c>; every convolution runs on the
    /// verified <see cref="ConvolutionPath"/>.
    /// </summary>
    internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006, SA1307 // Field names are the PyTorch module names (state_dict keys); registered in this order.
        private readonly Conv2dLayer conv1;
        private readonly BatchNorm2dLayer? bn1;
        private readonly Conv2dLayer conv2;
        private readonly BatchNorm2dLayer? bn2;
        private readonly Conv2dLayer? shortcut;
        private readonly BatchNorm2dLayer? shortcut_bn;
#pragma warning restore IDE1006, SA1307

        /// <summary>Creates the block with uninitialized convolutions and reset batch normalizations.</summary>
        /// <param name="spec">Index, input and output channels, whether the block starts a stage.</param>
        /// <param name="batchNorm">Whether every convolution is followed by a batch normalization.</param>
        /// <param name="path">How the convolutions are computed.</param>
        public ResidualBlock(ResNetNetwork.BlockSpec spec, bool batchNorm, ConvolutionPath path)
            : base(ResNetNetwork.BlockName(spec.Index))
        {
            string prefix = ResNetNetwork.BlockName(spec.Index);
            conv1 = new Conv2dLayer(prefix + ".conv1", spec.In, spec.Out, ResNetNetwork.Kernel, path);
            conv2 = new Conv2dLayer(prefix + ".conv2", spec.Out, spec.Out, ResNetNetwork.Kernel, path);
            if (spec.Downsample)
            {
                shortcut = new Conv2dLayer(prefix + ".shortcut", spec.In, spec.Out, 1, path);
            }
            if (batchNorm)
            {
                bn1 = new BatchNorm2dLayer(prefix + ".bn1", spec.Out);
                bn2 = new BatchNorm2dLayer(prefix + ".bn2", spec.Out);
                shortcut_bn = spec.Downsample ? new BatchNorm2dLayer(prefix + ".shortcut_bn", spec.Out) : null;
            }
            RegisterComponents();
        }

        /// <summary>conv1, conv2 and, in a block that starts a stage, the shortcut projection (construction order).</summary>
        public IReadOnlyList<Conv2dLayer> Layers => shortcut is null ? new[] { conv1, conv2 } : new[] { conv1, conv2, shortcut };

        /// <summary>bn1, bn2 and shortcut_bn, those that exist.</summary>
        public IReadOnlyList<BatchNorm2dLayer> Norms => new[] { bn1, bn2, shortcut_bn }.OfType<BatchNorm2dLayer>().ToList();

        /// <summary>N × In × H × W → N × Out × H × W (H/2 × W/2, rounded down, in a block that starts a stage).</summary>
        /// <param name="input">The block's input (the previous block's or the stem's output).</param>
        /// <returns>ReLU(residual branch + shortcut).</returns>
        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return Run(input, null).MoveToOuterDisposeScope();
        }

        /// <summary>The shortcut path alone: the input, or the (normalized) projection of the pooled input (what the block
        /// computes when its residual branch gives zero, as with <c>blocks.*.conv2.weight=zeros</c> and zero biases, before
        /// the final ReLU). A batch normalization in train mode leaves its running statistics as they are.</summary>
        /// <param name="input">The block's input.</param>
        /// <returns>The shortcut's output.</returns>
        public Tensor Shortcut(Tensor input)
        {
            using var scope = NewDisposeScope();
            if (shortcut is null)
            {
                return input.alias().MoveToOuterDisposeScope();
            }
            var s = shortcut.forward(F.max_pool2d(input, 2, 2));
            return (shortcut_bn is null ? s : shortcut_bn.Normalize(s, trackRunningStats: false)).MoveToOuterDisposeScope();
        }

        /// <summary>The block; with <paramref name="outputs"/>, appends the output of each of <see cref="Layers"/> (a
        /// convolution's, before its batch normalization), and batch normalization leaves its running statistics as
        /// they are (a diagnostic or calibration pass, no training step).</summary>
        internal Tensor Run(Tensor input, List<Tensor>? outputs)
        {
            bool track = outputs is null;
            var x = shortcut is null ? input : F.max_pool2d(input, 2, 2);
            var h = conv1.forward(ResNetNetwork.Pad(x));
            outputs?.Add(h);
            h = Normalize(bn1, h, track);
            h = conv2.forward(ResNetNetwork.Pad(F.relu(h)));
            outputs?.Add(h);
            h = Normalize(bn2, h, track);
            var s = x;
            if (shortcut is not null)
            {
                s = shortcut.forward(x);
                outputs?.Add(s);
                s = Normalize(shortcut_bn, s, track);
            }
            return F.relu(h + s);
        }

        private static Tensor Normalize(BatchNorm2dLayer? norm, Tensor x, bool trackRunningStats) =>
            norm is null ? x : norm.Normalize(x, trackRunningStats);
    }
}
