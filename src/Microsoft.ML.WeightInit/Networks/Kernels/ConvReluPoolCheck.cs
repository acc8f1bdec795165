using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks.Kernels
{
    /// <summary>
    /// The fused conv1 + ReLU + max-pool kernel (<see cref="ConvReluPoolFunction"/>) checked against float64: random
    /// data (fixed seed) shaped as the seed net's conv1 (64 × 1 × 28 × 28 ∗ 20 × 1 × 5 × 5), float32 through the kernel
    /// and its autograd node versus <c>max_pool2d(relu(im2col conv2d))</c> in float64, forward output and the weight and
    /// bias gradients; largest relative error (max |got − ref| / max |ref|) over all three.
    /// </summary>
    /// <param name="Supported">Whether the kernel can run fast here (256-bit vectors in hardware); when not, it is
    /// not checked and not used.</param>
    /// <param name="MaxRelativeError">Largest relative error seen (NaN when a NaN was produced or it did not run).</param>
    /// <param name="Milliseconds">Time of the float32 forward+backward passes of the check, in ms.</param>
    internal sealed record ConvReluPoolCheck(bool Supported, double MaxRelativeError, double Milliseconds)
    {
        /// <summary>Whether the kernel is correct within <see cref="ConvolutionCheck.Tolerance"/> and may be used.</summary>
        public bool Passed => Supported && MaxRelativeError <= ConvolutionCheck.Tolerance;

        /// <summary>One line for logs.</summary>
        /// <returns>The line.</returns>
        public override string ToString() => Supported
            ? string.Create(CultureInfo.InvariantCulture,
                $"fused conv1+ReLU+pool: max rel. error {MaxRelativeError:E1}, {Milliseconds:F1} ms ({(Passed ? "passed, used" : "FAILED, not used")})")
            : "fused conv1+ReLU+pool: no 256-bit vector hardware, not used";

        /// <summary>Runs the check.</summary>
        /// <param name="repeats">How many times the shape runs (default 2).</param>
        /// <returns>The result.</returns>
        public static ConvReluPoolCheck Run(int repeats = 2)
        {
            if (!ConvReluPoolKernel.IsSupported)
            {
                return new ConvReluPoolCheck(false, double.NaN, 0);
            }
            using var scope = NewDisposeScope();
            using var generator = new Generator(20260102);
            double worst = 0, milliseconds = 0;
            for (int r = 0; r < repeats; r++)
            {
                var x = rand(new long[] { 64, 1, 28, 28 }, generator: generator) * 2 - 0.5;
                var w = (rand(new long[] { 20, 1, 5, 5 }, generator: generator) - 0.5) * 0.4;
                var b = (rand(new long[] { 20 }, generator: generator) - 0.5) * 0.2;
                var upstream = randn(new long[] { 64, 20, 12, 12 }, generator: generator);
                var reference = ForwardBackward(x, w, b, upstream, fused: false);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var got = ForwardBackward(x, w, b, upstream, fused: true);
                milliseconds += watch.Elapsed.TotalMilliseconds;
                worst = Math.Max(worst, got.Zip(reference, ConvolutionCheck.RelativeError).Max());
            }
            return new ConvReluPoolCheck(true, worst, milliseconds);
        }

        /// <summary>Forward output and the weight and bias gradients of Σ(output ⊙ upstream): fused in float32, or
        /// the float64 reference.</summary>
        internal static IReadOnlyList<Tensor> ForwardBackward(Tensor x, Tensor w, Tensor b, Tensor upstream, bool fused)
        {
            var type = fused ? ScalarType.Float32 : ScalarType.Float64;
            var xs = x.to(type).detach();
            var ws = w.to(type).detach().requires_grad_(true);
            var bs = b.to(type).detach().requires_grad_(true);
            var output = fused
                ? ConvReluPoolFunction.Apply(xs, ws, bs)
                : F.max_pool2d(F.relu(Convolution.Conv2d(xs, ws, bs, ConvolutionPath.Im2Col)), 2, 2);
            (output * upstream.to(type)).sum().backward();
            return new[] { output.detach(), ws.grad!, bs.grad! };
        }
    }
}
