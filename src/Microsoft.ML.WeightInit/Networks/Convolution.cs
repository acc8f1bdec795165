using System;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>A stride-1, unpadded 2-D convolution computed along a chosen <see cref="ConvolutionPath"/>.</summary>
    internal static class Convolution
    {
        /// <summary>
        /// Convolves <paramref name="input"/> (N × C × H × W) with <paramref name="weight"/> (O × C × kH × kW) and adds
        /// <paramref name="bias"/> (O); returns N × O × (H − kH + 1) × (W − kW + 1). Differentiable on every path.
        /// </summary>
        public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, ConvolutionPath path) => path switch
        {
            ConvolutionPath.Native => F.conv2d(input, weight, bias),
            ConvolutionPath.ChannelsLast => F.conv2d(ToChannelsLast(input), ToChannelsLast(weight), bias),
            ConvolutionPath.Im2Col => Im2Col(input, weight, bias),
            _ => throw new ArgumentOutOfRangeException(nameof(path), path, "Unknown convolution path."),
        };

        /// <summary>Same logical tensor, strides of an NHWC memory layout.</summary>
        public static Tensor ToChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

        private static Tensor Im2Col(Tensor input, Tensor weight, Tensor? bias)
        {
            long n = input.shape[0], h = input.shape[2], w = input.shape[3];
            long o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
            long oh = h - kh + 1, ow = w - kw + 1;
            using var columns = F.unfold(input, (kh, kw));              // N × (C·kH·kW) × (oh·ow)
            using var flat = weight.reshape(o, -1);                      // O × (C·kH·kW)
            using var product = flat.matmul(columns);                    // N × O × (oh·ow)
            if (bias is null)
            {
                return product.reshape(n, o, oh, ow);
            }
            using var withBias = product + bias.unsqueeze(1);
            return withBias.reshape(n, o, oh, ow);
        }
    }
}
