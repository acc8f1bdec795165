using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks.Kernels
{
    /// <summary>
    /// <see cref="ConvReluPoolKernel"/> as a libtorch autograd node (TorchSharp's custom <c>autograd.Function</c>): the
    /// forward runs the fused kernel and keeps the images and the pooling winners; the backward returns the weight and
    /// bias gradients. The input gets no gradient: use it only on inputs that need none (<see cref="Apply"/> checks).
    /// </summary>
    internal sealed class ConvReluPoolFunction : autograd.SingleTensorFunction<ConvReluPoolFunction>
    {
        /// <inheritdoc/>
        public override string Name => "ConvReluPool";

        /// <summary><c>max_pool2d(relu(conv2d(input, weight, bias)), 2)</c> through the fused kernel.</summary>
        /// <param name="input">N × 1 × H × W images that need no gradient.</param>
        /// <param name="weight">O × 1 × 5 × 5.</param>
        /// <param name="bias">O.</param>
        /// <returns>N × O × ⌊(H − 4) / 2⌋ × ⌊(W − 4) / 2⌋, channels-last in memory.</returns>
        /// <exception cref="System.ArgumentException">The shapes do not fit the kernel, or the input needs a gradient.</exception>
        public static Tensor Apply(Tensor input, Tensor weight, Tensor bias)
        {
            if (!ConvReluPoolKernel.Fits(input, weight))
            {
                throw new System.ArgumentException(
                    $"The fused conv+ReLU+pool kernel takes N × 1 × H × W float32 images and a O × 1 × 5 × 5 weight; got {string.Join('×', input.shape)} and {string.Join('×', weight.shape)}.",
                    nameof(input));
            }
            if (input.requires_grad)
            {
                throw new System.ArgumentException("The fused conv+ReLU+pool kernel computes no input gradient; the input must not require one.", nameof(input));
            }
            if (!is_grad_enabled() || !(weight.requires_grad || bias.requires_grad))
            {
                // No backward will run (evaluation, scoring): the kernel alone, without an autograd node or winners.
                using (no_grad())
                {
                    return ConvReluPoolKernel.Forward(input, weight, bias, keepWinners: false).Output;
                }
            }
            return apply(input, weight, bias);
        }

        /// <inheritdoc/>
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (output, winners) = ConvReluPoolKernel.Forward((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
            ctx.save_for_backward(new List<Tensor> { (Tensor)vars[0], winners! });
            return output;
        }

        /// <inheritdoc/>
        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            var saved = ctx.get_saved_variables();
            var (weight, bias) = ConvReluPoolKernel.Backward(saved[0], saved[1], grad_output);
            return new List<Tensor> { null!, weight, bias };
        }
    }
}
