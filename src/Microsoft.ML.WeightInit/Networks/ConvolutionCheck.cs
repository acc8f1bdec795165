using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Result of checking one <see cref="ConvolutionPath"/> against a float64 im2col reference: the largest relative
    /// error (max |got − ref| / max |ref|) over the forward output and the gradients of input, weight and bias, for
    /// the shapes of the net's two convolutions.
    /// </summary>
    /// <param name="Path">The path checked.</param>
    /// <param name="MaxRelativeError">Largest relative error seen (NaN when a NaN was produced).</param>
    /// <param name="Milliseconds">Time for the float32 forward+backward passes of the check, in ms.</param>
    internal sealed record ConvolutionCheck(ConvolutionPath Path, double MaxRelativeError, double Milliseconds)
    {
        /// <summary>Largest relative error accepted: 1e-4.</summary>
        public const double Tolerance = 1e-4;

        /// <summary>Whether the path is correct within <see cref="Tolerance"/> (and produced no NaN).</summary>
        public bool Passed => MaxRelativeError <= Tolerance;

        /// <summary>One line for logs, e.g. <c>ChannelsLast: max rel. error 7.2E-07, 12.0 ms (passed)</c>.</summary>
        /// <returns>The line.</returns>
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Path}: max rel. error {MaxRelativeError:E1}, {Milliseconds:F1} ms ({(Passed ? "passed" : "FAILED")})");

        /// <summary>
        /// Runs the check for <paramref name="path"/>: random data (fixed seed) through convolutions shaped as the
        /// net's conv1 (64×1×28×28 ∗ 20×1×5×5) and conv2 (64×20×12×12 ∗ 50×20×5×5), float32 on the path versus float64
        /// im2col, forward and backward, repeated <paramref name="repeats"/> times (NaN from uninitialised memory is
        /// sporadic).
        /// </summary>
        /// <param name="path">The path to check.</param>
        /// <param name="repeats">How many times each shape runs (default 2).</param>
        /// <returns>The result.</returns>
        public static ConvolutionCheck Run(ConvolutionPath path, int repeats = 2) =>
            Run(path, new (long Batch, long In, long Out, long Size)[] { (64, 1, 20, 28), (64, 20, 50, 12) }, 5, repeats);

        /// <summary>The check on other shapes: <paramref name="shapes"/> (batch, input channels, output channels, square
        /// input side) with <paramref name="kernel"/> × <paramref name="kernel"/> kernels (a deep architecture's
        /// convolutions; a padded convolution is this unpadded one on the padded input).</summary>
        internal static ConvolutionCheck Run(ConvolutionPath path, IReadOnlyList<(long Batch, long In, long Out, long Size)> shapes, long kernel, int repeats = 1)
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(20260101);
            double worst = 0, milliseconds = 0;
            for (int r = 0; r < repeats; r++)
            {
                foreach (var (batch, cin, cout, size) in shapes)
                {
                    var x = rand(new[] { batch, cin, size, size }, generator: generator) * 2 - 0.5;
                    var w = (rand(new[] { cout, cin, kernel, kernel }, generator: generator) - 0.5) * (2 / Math.Sqrt(cin * kernel * kernel));
                    var b = rand(new[] { cout }, generator: generator) - 0.5;
                    var upstream = randn(new[] { batch, cout, size - kernel + 1, size - kernel + 1 }, generator: generator);
                    var reference = ForwardBackward(x, w, b, upstream, ConvolutionPath.Im2Col, ScalarType.Float64);
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    var got = ForwardBackward(x, w, b, upstream, path, ScalarType.Float32);
                    milliseconds += watch.Elapsed.TotalMilliseconds;
                    worst = Math.Max(worst, got.Zip(reference, RelativeError).Max());
                }
            }
            return new ConvolutionCheck(path, worst, milliseconds);
        }

        /// <summary>Forward output and the gradients of input, weight and bias for Σ(output ⊙ upstream).</summary>
        private static IReadOnlyList<Tensor> ForwardBackward(Tensor x, Tensor w, Tensor b, Tensor upstream, ConvolutionPath path, ScalarType type)
        {
            var xs = x.to(type).detach().requires_grad_(true);
            var ws = w.to(type).detach().requires_grad_(true);
            var bs = b.to(type).detach().requires_grad_(true);
            var output = Convolution.Conv2d(xs, ws, bs, path);
            (output * upstream.to(type)).sum().backward();
            return new[] { output.detach(), xs.grad!, ws.grad!, bs.grad! };
        }

        /// <summary>max |got − ref| / max |ref| in float64; NaN if <paramref name="got"/> has a NaN or ∞.</summary>
        internal static double RelativeError(Tensor got, Tensor reference)
        {
            using var scope = NewDisposeScope();
            var g = got.to(ScalarType.Float64);
            if (!g.isfinite().all().item<bool>())
            {
                return double.NaN;
            }
            double scale = reference.abs().max().item<double>();
            return (g - reference).abs().max().item<double>() / Math.Max(scale, double.Epsilon);
        }
    }
}
