using System;
using System.Linq;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Networks
{
    /// <summary>
    /// A float32 network against a float64 copy of itself on a real batch: the reference (built by the caller on the
    /// im2col path, same architecture) takes the network's parameters, both run forward and NLL backward, and the
    /// output and every parameter gradient must agree within the tolerance (relative error). Returns the network's output.
    /// A gradient that is zero in exact arithmetic (a convolution's bias followed by batch normalization in train mode:
    /// the normalization cancels any per-channel constant) is float32 rounding noise; it is compared on the scale of the
    /// network's largest gradient instead of its own.
    /// </summary>
    internal static class Float64NetCheck
    {
        /// <summary>A float64 gradient at most this fraction of the network's largest is zero up to rounding.</summary>
        private const double StructuralZero = 1e-9;

        public static Tensor AssertForwardAndGradientsMatch(ClassifierNetwork net, ClassifierNetwork reference, Tensor images, Tensor labels,
            double tolerance, string what)
        {
            reference.to(ScalarType.Float64);
            using (no_grad())
            {
                foreach (var ((_, p32), (_, p64)) in net.named_parameters().Zip(reference.named_parameters()))
                {
                    p64.copy_(p32.to(ScalarType.Float64));
                }
            }

            var out32 = net.forward(images);
            F.nll_loss(out32, labels).backward();
            var out64 = reference.forward(images.to(ScalarType.Float64));
            F.nll_loss(out64, labels).backward();

            double forward = ConvolutionCheck.RelativeError(out32.detach(), out64.detach());
            Assert.IsTrue(forward <= tolerance, $"{what}: forward output relative error {forward:E2}");
            double scale = reference.named_parameters().Max(p => p.parameter.grad!.abs().max().item<double>());
            foreach (var ((name, p32), (_, p64)) in net.named_parameters().Zip(reference.named_parameters()))
            {
                double own = p64.grad!.abs().max().item<double>();
                double error = own <= StructuralZero * scale
                    ? (p32.grad!.to(ScalarType.Float64) - p64.grad!).abs().max().item<double>() / Math.Max(scale, double.Epsilon)
                    : ConvolutionCheck.RelativeError(p32.grad!, p64.grad!);
                Assert.IsTrue(error <= tolerance, $"{what}: gradient of {name}: relative error {error:E2} (path {net.ConvolutionPath})");
            }
            return out32;
        }
    }
}
