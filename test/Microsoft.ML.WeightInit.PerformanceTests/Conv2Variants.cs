using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>Experiment: conv2 (64 × 20 × 12 × 12 channels-last ∗ 50 × 20 × 5 × 5) forward + backward by oneDNN on
    /// the channels-last path, by oneDNN on NCHW, and as a channels-last im2col + one GEMM; interleaved rounds, median
    /// ms per forward+backward.</summary>
    public static class Conv2Variants
    {
        /// <summary>Runs the comparison and returns one line per variant.</summary>
        public static string Run(int rounds = 9, int calls = 20)
        {
            using var scope = NewDisposeScope();
            using var g = new Generator(5);
            var x = Convolution.ToChannelsLast(randn(new long[] { 64, 20, 12, 12 }, generator: g)).requires_grad_(true);
            var w = (randn(new long[] { 50, 20, 5, 5 }, generator: g) * 0.05).requires_grad_(true);
            var b = randn(new long[] { 50 }, generator: g).requires_grad_(true);
            var up = Convolution.ToChannelsLast(randn(new long[] { 64, 50, 8, 8 }, generator: g));
            var variants = new (string Name, Func<Tensor> Conv)[]
            {
                ("oneDNN channels-last", () => Convolution.Conv2d(x, w, b, ConvolutionPath.ChannelsLast)),
                ("oneDNN NCHW (input copied)", () => Convolution.Conv2d(x.contiguous(), w, b, ConvolutionPath.Native)),
                ("channels-last im2col + GEMM", () => Im2ColNhwc(x, w, b)),
            };
            var times = variants.Select(_ => new List<double>()).ToList();
            var xd = x.detach();
            var wd = w.detach();
            var parts = new (string Name, Action Run)[]
            {
                ("oneDNN channels-last forward only", () => { using var s = NewDisposeScope(); using var ng = no_grad(); _ = Convolution.Conv2d(xd, wd, b, ConvolutionPath.ChannelsLast); }),
                ("weight gradient by channels-last im2col + GEMM", () =>
                {
                    using var s = NewDisposeScope();
                    var cols = xd.permute(0, 2, 3, 1).unfold(1, 5, 1).unfold(2, 5, 1).permute(0, 1, 2, 4, 5, 3).reshape(64 * 64, 500);
                    var dy = up.permute(0, 2, 3, 1).reshape(64 * 64, 50);
                    _ = dy.t().matmul(cols);
                    _ = dy.sum(0);
                }),
                ("input gradient by oneDNN conv_transpose2d (channels-last)", () =>
                {
                    using var s = NewDisposeScope();
                    _ = F.conv_transpose2d(up, Convolution.ToChannelsLast(wd));
                }),
            };
            var xnhwc = xd.permute(0, 2, 3, 1).contiguous();
            var colsBuffer = empty(64 * 64, 500);
            var wrows = wd.permute(0, 2, 3, 1).reshape(50, 500).contiguous();
            var dyRows = up.permute(0, 2, 3, 1).reshape(64 * 64, 50);
            parts = parts.Append(("custom: C# im2col + forward GEMM + weight GEMM + input GEMM + C# col2im", () =>
            {
                using var s = NewDisposeScope();
                Im2Col(xnhwc, colsBuffer);
                _ = F.linear(colsBuffer, wrows, b.detach());
                _ = dyRows.t().matmul(colsBuffer);
                _ = dyRows.sum(0);
                var dcols = dyRows.matmul(wrows);
                var dx = zeros(64, 12, 12, 20);
                Col2Im(dcols, dx);
            })).ToArray();
            parts = parts.Append(("custom: C# im2col alone", () => Im2Col(xnhwc, colsBuffer))).ToArray();
            // Adjacent pairs: one call of each, alternating; the ratio of each pair is robust to load that changes slowly.
            var ratios = new List<double>();
            var oneDnn = new List<double>();
            var custom = new List<double>();
            for (int pair = 0; pair < 150; pair++)
            {
                var wa = Stopwatch.StartNew();
                using (var s = NewDisposeScope())
                {
                    var y = variants[0].Conv();
                    autograd.grad(new[] { y }, new[] { x, w, b }, new[] { up });
                }
                double a = wa.Elapsed.TotalMilliseconds;
                var wb = Stopwatch.StartNew();
                parts[3].Run();
                double c = wb.Elapsed.TotalMilliseconds;
                if (pair >= 10)
                {
                    ratios.Add(c / a);
                    oneDnn.Add(a);
                    custom.Add(c);
                }
            }
            ratios.Sort();
            oneDnn.Sort();
            custom.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"adjacent pairs (140): custom / oneDNN forward+backward median {ratios[ratios.Count / 2]:F3} (quartiles {ratios[ratios.Count / 4]:F3}–{ratios[3 * ratios.Count / 4]:F3}); medians oneDNN {oneDnn[oneDnn.Count / 2]:F3} ms, custom {custom[custom.Count / 2]:F3} ms"));
            var partTimes = parts.Select(_ => new List<double>()).ToList();
            for (int r = -1; r < rounds; r++)
            {
                for (int v = 0; v < parts.Length; v++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < calls; i++)
                    {
                        parts[v].Run();
                    }
                    if (r >= 0)
                    {
                        partTimes[v].Add(watch.Elapsed.TotalMilliseconds / calls);
                    }
                }
                for (int v = 0; v < 1; v++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < calls; i++)
                    {
                        using var s = NewDisposeScope();
                        var y = variants[v].Conv();
                        autograd.grad(new[] { y }, new[] { x, w, b }, new[] { up });
                    }
                    if (r >= 0)
                    {
                        partTimes[0].Add(double.NaN);
                        times[v].Add(watch.Elapsed.TotalMilliseconds / calls);
                    }
                }
            }
            var reference = Convolution.Conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64), ConvolutionPath.Im2Col);
            for (int r = -1; r < 0; r++)
            {
                for (int v = 0; v < variants.Length; v++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < calls; i++)
                    {
                        using var s = NewDisposeScope();
                        var y = variants[v].Conv();
                        autograd.grad(new[] { y }, new[] { x, w, b }, new[] { up });
                    }
                    if (r >= 0)
                    {
                        times[v].Add(watch.Elapsed.TotalMilliseconds / calls);
                    }
                }
            }
            var sb = new StringBuilder();
            for (int v = 0; v < parts.Length; v++)
            {
                var sorted = partTimes[v].Where(t => !double.IsNaN(t)).OrderBy(t => t).ToList();
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{parts[v].Name}: median {sorted[sorted.Count / 2]:F3} ms (min {sorted[0]:F3})"));
            }
            for (int v = 0; v < 1; v++)
            {
                var sorted = times[v].OrderBy(t => t).ToList();
                double error = ConvolutionCheck.RelativeError(variants[v].Conv().detach(), reference);
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{variants[v].Name}: median {sorted[sorted.Count / 2]:F3} ms forward+backward (min {sorted[0]:F3}); forward rel. error {error:E1}"));
            }
            return sb.ToString();
        }

        private static void Im2Col(Tensor xnhwc, Tensor cols)
        {
            ReadOnlySpan<float> x = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(xnhwc.bytes);
            Span<float> c = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(cols.bytes);
            for (int n = 0; n < 64; n++)
                for (int i = 0; i < 8; i++)
                    for (int j = 0; j < 8; j++)
                    {
                        int row = ((n * 8 + i) * 8 + j) * 500;
                        for (int kh = 0; kh < 5; kh++)
                        {
                            x.Slice(((n * 12 + i + kh) * 12 + j) * 20, 100).CopyTo(c.Slice(row + kh * 100, 100));
                        }
                    }
        }

        private static void Col2Im(Tensor dcols, Tensor dx)
        {
            ReadOnlySpan<float> c = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(dcols.bytes);
            Span<float> x = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(dx.bytes);
            for (int n = 0; n < 64; n++)
                for (int i = 0; i < 8; i++)
                    for (int j = 0; j < 8; j++)
                    {
                        int row = ((n * 8 + i) * 8 + j) * 500;
                        for (int kh = 0; kh < 5; kh++)
                        {
                            System.Numerics.Tensors.TensorPrimitives.Add(x.Slice(((n * 12 + i + kh) * 12 + j) * 20, 100), c.Slice(row + kh * 100, 100), x.Slice(((n * 12 + i + kh) * 12 + j) * 20, 100));
                        }
                    }
        }

        /// <summary>Convolution of a channels-last input as im2col rows (one per output pixel, taps × channels) times
        /// the weight: output channels-last.</summary>
        internal static Tensor Im2ColNhwc(Tensor x, Tensor w, Tensor b)
        {
            long n = x.shape[0], c = x.shape[1], o = w.shape[0], k = w.shape[2];
            long oh = x.shape[2] - k + 1, ow = x.shape[3] - k + 1;
            using var nhwc = x.permute(0, 2, 3, 1);
            using var windows = nhwc.unfold(1, k, 1).unfold(2, k, 1);           // N × oh × ow × C × k × k
            using var ordered = windows.permute(0, 1, 2, 4, 5, 3);               // N × oh × ow × k × k × C
            using var cols = ordered.reshape(n * oh * ow, k * k * c);
            using var wr = w.permute(0, 2, 3, 1).reshape(o, k * k * c);
            using var y = F.linear(cols, wr, b);                                 // (N·oh·ow) × O
            using var view = y.view(n, oh, ow, o);
            return view.permute(0, 3, 1, 2);
        }
    }
}
