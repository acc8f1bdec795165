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
    /// <summary>Experiment (issue 19, kept to rerun on a quiet machine): conv2 (64 × 20 × 12 × 12 channels-last ∗
    /// 50 × 20 × 5 × 5) forward + backward by oneDNN on the channels-last path, by oneDNN on NCHW, as a channels-last
    /// im2col + one GEMM through autograd; the parts of a split backward; a hand-made path (C# im2col, three GEMMs, C#
    /// col2im, no autograd) as adjacent pairs against oneDNN. Interleaved rounds, medians.</summary>
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
            var xd = x.detach();
            var wd = w.detach();
            var xnhwc = xd.permute(0, 2, 3, 1).contiguous();
            var colsBuffer = empty(64 * 64, 500);
            var wrows = wd.permute(0, 2, 3, 1).reshape(50, 500).contiguous();
            var dyRows = up.permute(0, 2, 3, 1).reshape(64 * 64, 50);
            var parts = new (string Name, Action Run)[]
            {
                ("oneDNN channels-last forward only", () => { using var s = NewDisposeScope(); using var ng = no_grad(); _ = Convolution.Conv2d(xd, wd, b, ConvolutionPath.ChannelsLast); }),
                ("weight gradient by channels-last im2col (libtorch unfold) + GEMM", () =>
                {
                    using var s = NewDisposeScope();
                    var cols = xd.permute(0, 2, 3, 1).unfold(1, 5, 1).unfold(2, 5, 1).permute(0, 1, 2, 4, 5, 3).reshape(64 * 64, 500);
                    _ = dyRows.t().matmul(cols);
                    _ = dyRows.sum(0);
                }),
                ("input gradient by oneDNN conv_transpose2d (channels-last)", () =>
                {
                    using var s = NewDisposeScope();
                    _ = F.conv_transpose2d(up, Convolution.ToChannelsLast(wd));
                }),
                ("custom: C# im2col + forward GEMM + weight GEMM + input GEMM + C# col2im", () => Custom(xnhwc, colsBuffer, wrows, dyRows, b)),
                ("custom: C# im2col alone", () => Im2Col(xnhwc, colsBuffer)),
            };

            // 1. Whole forward+backward of each variant, and 2. the parts, in interleaved rounds.
            var times = variants.Select(_ => new List<double>()).ToList();
            var partTimes = parts.Select(_ => new List<double>()).ToList();
            for (int r = -1; r < rounds; r++)
            {
                for (int v = 0; v < variants.Length; v++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < calls; i++)
                    {
                        using var s = NewDisposeScope();
                        autograd.grad(new[] { variants[v].Conv() }, new[] { x, w, b }, new[] { up });
                    }
                    if (r >= 0)
                    {
                        times[v].Add(watch.Elapsed.TotalMilliseconds / calls);
                    }
                }
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
            }

            // 3. Adjacent pairs, oneDNN channels-last vs the custom path, one call of each alternating: the ratio of each
            // pair is robust to load that changes slowly.
            var ratios = new List<double>();
            for (int pair = 0; pair < 150; pair++)
            {
                var wa = Stopwatch.StartNew();
                using (var s = NewDisposeScope())
                {
                    autograd.grad(new[] { variants[0].Conv() }, new[] { x, w, b }, new[] { up });
                }
                double a = wa.Elapsed.TotalMilliseconds;
                var wb = Stopwatch.StartNew();
                parts[3].Run();
                if (pair >= 10)
                {
                    ratios.Add(wb.Elapsed.TotalMilliseconds / a);
                }
            }

            var reference = Convolution.Conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64), ConvolutionPath.Im2Col);
            var sb = new StringBuilder();
            for (int v = 0; v < variants.Length; v++)
            {
                double error = ConvolutionCheck.RelativeError(variants[v].Conv().detach(), reference);
                sb.AppendLine(Inv($"{variants[v].Name}: median {Median(times[v]):F3} ms forward+backward (min {times[v].Min():F3}); forward rel. error {error:E1}"));
            }
            for (int v = 0; v < parts.Length; v++)
            {
                sb.AppendLine(Inv($"{parts[v].Name}: median {Median(partTimes[v]):F3} ms (min {partTimes[v].Min():F3})"));
            }
            ratios.Sort();
            sb.AppendLine(Inv($"adjacent pairs ({ratios.Count}): custom / oneDNN channels-last forward+backward median {ratios[ratios.Count / 2]:F3} (quartiles {ratios[ratios.Count / 4]:F3}–{ratios[3 * ratios.Count / 4]:F3})"));
            return sb.ToString();
        }

        private static void Custom(Tensor xnhwc, Tensor cols, Tensor wrows, Tensor dyRows, Tensor b)
        {
            using var s = NewDisposeScope();
            Im2Col(xnhwc, cols);
            _ = F.linear(cols, wrows, b.detach());
            _ = dyRows.t().matmul(cols);
            _ = dyRows.sum(0);
            var dcols = dyRows.matmul(wrows);
            var dx = zeros(64, 12, 12, 20);
            Col2Im(dcols, dx);
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

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
