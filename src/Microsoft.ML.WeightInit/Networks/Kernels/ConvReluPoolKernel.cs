using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks.Kernels
{
    /// <summary>
    /// The seed net's first block — a 1-channel, 5 × 5, stride-1 unpadded convolution with bias, then ReLU, then 2 × 2
    /// max-pooling with stride 2 (PyTorch's <c>max_pool2d(relu(conv2d(x, w, b)), 2)</c>) — computed in one pass over
    /// the tensors' memory with <see cref="Vector256{T}"/> lanes over the output channels. A 1-channel convolution is
    /// a 25-tap stencil, not a GEMM: libtorch spends more time on its layout copies, ReLU and pooling passes than on
    /// the arithmetic. Forward: for every 2 × 2 pooling window the four convolution outputs of all channels, their
    /// maximum (the first in scan order wins ties, as PyTorch's), then ReLU. Backward: the output gradient goes to the
    /// window's winner where its value was positive (ReLU's gradient), then weight and bias gradients are sums over
    /// images and positions. The input gradient is not computed (the net's images need none).
    /// </summary>
    /// <remarks>
    /// Output: N × O × PH × PW logically (PH = ⌊(H − 4) / 2⌋), channels-last in memory (N × PH × PW × O), which is the
    /// layout the channels-last convolution path reads without a copy. Work is split into fixed chunks of 8 images,
    /// taken by as many threads as libtorch's count on the calling thread (<c>torch.get_num_threads()</c>); weight
    /// gradients are float32 sums per chunk, added in chunk order, so results depend neither on timing nor on the
    /// thread count.
    /// </remarks>
    internal static class ConvReluPoolKernel
    {
        /// <summary>Kernel side k (5 × 5).</summary>
        public const int KernelSize = 5;

        /// <summary>Pooling window and stride (2 × 2, stride 2).</summary>
        public const int Pool = 2;

        private const int Lanes = 8;
        private const int ChunkImages = 8;
        private const int Taps = KernelSize * KernelSize;

        /// <summary>Whether the kernel can run here fast: 256-bit vectors in hardware.</summary>
        public static bool IsSupported => Vector256.IsHardwareAccelerated;

        /// <summary>Whether the kernel applies: one input channel and a 5 × 5 weight, images of at least 6 × 6.</summary>
        /// <param name="input">N × C × H × W.</param>
        /// <param name="weight">O × C × k × k.</param>
        /// <returns>True when <see cref="Forward"/> computes this block.</returns>
        public static bool Fits(Tensor input, Tensor weight) =>
            input.dim() == 4 && weight.dim() == 4 && input.shape[1] == 1 && weight.shape[1] == 1
            && weight.shape[2] == KernelSize && weight.shape[3] == KernelSize
            && input.shape[2] >= KernelSize + 1 && input.shape[3] >= KernelSize + 1
            && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32;

        /// <summary>
        /// Forward pass. Returns the pooled output (N × O × PH × PW, channels-last memory) and the winner of every
        /// window and channel (N × PH × PW × O' floats, O' = O rounded up to 8: 0–3 in scan order, −1 where the
        /// output is 0 or NaN and no gradient flows), which <see cref="Backward"/> needs.
        /// </summary>
        /// <param name="input">Images, N × 1 × H × W, float32.</param>
        /// <param name="weight">O × 1 × 5 × 5, float32.</param>
        /// <param name="bias">O, float32.</param>
        /// <param name="keepWinners">Whether to record the winners (false when no backward will run).</param>
        /// <returns>(output, winners; null when not kept).</returns>
        public static (Tensor Output, Tensor? Winners) Forward(Tensor input, Tensor weight, Tensor bias, bool keepWinners = true)
        {
            var shape = Shapes.Of(input, weight);
            using var x = input.contiguous();
            float[] wt = TransposedWeight(weight, shape);
            float[] b = PaddedBias(bias, shape);
            var output = empty(new[] { shape.N, shape.PH, shape.PW, shape.O }, ScalarType.Float32);
            var winners = keepWinners ? empty(new[] { shape.N, shape.PH, shape.PW, shape.OPadded }, ScalarType.Float32) : null;
            RunParts(shape.N, (part, first, end) => ForwardImages(x, output, winners, wt, b, shape, first, end));
            using (output)
            {
                return (output.permute(0, 3, 1, 2), winners);
            }
        }

        /// <summary>Backward pass: gradients of the weight (O × 1 × 5 × 5) and bias (O) for the output gradient.</summary>
        /// <param name="input">The forward's images.</param>
        /// <param name="winners">The forward's winners.</param>
        /// <param name="gradOutput">N × O × PH × PW, any layout.</param>
        /// <returns>(weight gradient, bias gradient).</returns>
        public static (Tensor Weight, Tensor Bias) Backward(Tensor input, Tensor winners, Tensor gradOutput)
        {
            long o = gradOutput.shape[1];
            var shape = new Shapes(input.shape[0], input.shape[2], input.shape[3], o);
            using var x = input.contiguous();
            using var nhwc = gradOutput.permute(0, 2, 3, 1);
            using var g = nhwc.contiguous();
            int op = (int)shape.OPadded;
            var partial = new float[Chunks(shape.N)][];
            RunParts(shape.N, (part, first, end) =>
            {
                var sums = new float[(Taps + 1) * op];
                BackwardImages(x, winners, g, sums, shape, first, end);
                partial[part] = sums;
            });
            var weightGrad = new float[o * Taps];
            var biasGrad = new float[o];
            foreach (var sums in partial)
            {
                for (int c = 0; c < o; c++)
                {
                    for (int k = 0; k < Taps; k++)
                    {
                        weightGrad[c * Taps + k] += sums[k * op + c];
                    }
                    biasGrad[c] += sums[Taps * op + c];
                }
            }
            return (tensor(weightGrad, new[] { o, 1L, KernelSize, KernelSize }), tensor(biasGrad, new[] { o }));
        }

        private static void ForwardImages(Tensor input, Tensor output, Tensor? winners, float[] wt, float[] bias, Shapes s, int first, int end)
        {
            ReadOnlySpan<float> x = MemoryMarshal.Cast<byte, float>(input.bytes);
            Span<float> y = MemoryMarshal.Cast<byte, float>(output.bytes);
            Span<float> win = winners is null ? default : MemoryMarshal.Cast<byte, float>(winners.bytes);
            bool keep = winners is not null;
            int w = (int)s.W, ph = (int)s.PH, pw = (int)s.PW, o = (int)s.O, op = (int)s.OPadded;
            int groups = op / Lanes;
            Span<float> tail = stackalloc float[Lanes];
            var one = Vector256.Create(1f);
            var two = Vector256.Create(2f);
            var three = Vector256.Create(3f);
            var none = Vector256.Create(-1f);
            ref float w0 = ref MemoryMarshal.GetArrayDataReference(wt);
            for (int n = first; n < end; n++)
            {
                var image = x.Slice((int)(n * s.H * s.W), (int)(s.H * s.W));
                ref float xi = ref MemoryMarshal.GetReference(image);
                for (int py = 0; py < ph; py++)
                {
                    for (int px = 0; px < pw; px++)
                    {
                        int top = 2 * py * w + 2 * px;
                        int cell = ((n * ph + py) * pw + px) * op;
                        int outCell = ((n * ph + py) * pw + px) * o;
                        for (int gIndex = 0; gIndex < groups; gIndex++)
                        {
                            var b = Vector256.Create<float>(bias.AsSpan(gIndex * Lanes, Lanes));
                            Vector256<float> a00 = b, a01 = b, a10 = b, a11 = b;
                            for (int kh = 0; kh < KernelSize; kh++)
                            {
                                int row = top + kh * w;
                                for (int kw = 0; kw < KernelSize; kw++)
                                {
                                    var wv = Vector256.LoadUnsafe(ref w0, (nuint)(((kh * KernelSize) + kw) * op + gIndex * Lanes));
                                    int at = row + kw;
                                    a00 = Vector256.FusedMultiplyAdd(wv, Vector256.Create(Unsafe.Add(ref xi, at)), a00);
                                    a01 = Vector256.FusedMultiplyAdd(wv, Vector256.Create(Unsafe.Add(ref xi, at + 1)), a01);
                                    a10 = Vector256.FusedMultiplyAdd(wv, Vector256.Create(Unsafe.Add(ref xi, at + w)), a10);
                                    a11 = Vector256.FusedMultiplyAdd(wv, Vector256.Create(Unsafe.Add(ref xi, at + w + 1)), a11);
                                }
                            }
                            // Max-pool over the window in scan order: a later value wins only when strictly greater
                            // or NaN (PyTorch's rule); ReLU after the max equals the max after ReLU.
                            var best = a00;
                            var index = Vector256<float>.Zero;
                            var take = Vector256.GreaterThan(a01, best) | ~Vector256.Equals(a01, a01);
                            best = Vector256.ConditionalSelect(take, a01, best);
                            index = Vector256.ConditionalSelect(take, one, index);
                            take = Vector256.GreaterThan(a10, best) | ~Vector256.Equals(a10, a10);
                            best = Vector256.ConditionalSelect(take, a10, best);
                            index = Vector256.ConditionalSelect(take, two, index);
                            take = Vector256.GreaterThan(a11, best) | ~Vector256.Equals(a11, a11);
                            best = Vector256.ConditionalSelect(take, a11, best);
                            index = Vector256.ConditionalSelect(take, three, index);
                            var dead = Vector256.LessThanOrEqual(best, Vector256<float>.Zero);
                            var relu = Vector256.ConditionalSelect(dead, Vector256<float>.Zero, best);
                            if (keep)
                            {
                                var live = Vector256.GreaterThan(best, Vector256<float>.Zero);
                                Vector256.ConditionalSelect(live, index, none).CopyTo(win.Slice(cell + gIndex * Lanes, Lanes));
                            }
                            int channel = gIndex * Lanes;
                            if (channel + Lanes <= o)
                            {
                                relu.CopyTo(y.Slice(outCell + channel, Lanes));
                            }
                            else
                            {
                                relu.CopyTo(tail);
                                tail.Slice(0, o - channel).CopyTo(y.Slice(outCell + channel, o - channel));
                            }
                        }
                    }
                }
            }
        }

        private static void BackwardImages(Tensor input, Tensor winners, Tensor gradOutput, float[] sums, Shapes s, int first, int end)
        {
            ReadOnlySpan<float> x = MemoryMarshal.Cast<byte, float>(input.bytes);
            ReadOnlySpan<float> win = MemoryMarshal.Cast<byte, float>(winners.bytes);
            ReadOnlySpan<float> gy = MemoryMarshal.Cast<byte, float>(gradOutput.bytes);
            int w = (int)s.W, ph = (int)s.PH, pw = (int)s.PW, o = (int)s.O, op = (int)s.OPadded;
            int groups = op / Lanes;
            int rows = 2 * ph, cols = 2 * pw;
            // Dense gradient of the convolution output over the pooled region, channels padded to 8 lanes.
            float[] dense = ArrayPool<float>.Shared.Rent(rows * cols * op);
            Span<float> padded = stackalloc float[op];
            try
            {
                ref float d0 = ref MemoryMarshal.GetArrayDataReference(dense);
                for (int n = first; n < end; n++)
                {
                    for (int py = 0; py < ph; py++)
                    {
                        for (int px = 0; px < pw; px++)
                        {
                            int cell = ((n * ph + py) * pw + px);
                            gy.Slice(cell * o, o).CopyTo(padded);
                            for (int gIndex = 0; gIndex < groups; gIndex++)
                            {
                                var g = Vector256.Create<float>(padded.Slice(gIndex * Lanes, Lanes));
                                var index = Vector256.Create<float>(win.Slice(cell * op + gIndex * Lanes, Lanes));
                                for (int sub = 0; sub < 4; sub++)
                                {
                                    int at = ((2 * py + sub / 2) * cols + 2 * px + sub % 2) * op + gIndex * Lanes;
                                    Vector256.ConditionalSelect(Vector256.Equals(index, Vector256.Create((float)sub)), g, Vector256<float>.Zero)
                                        .StoreUnsafe(ref d0, (nuint)at);
                                }
                            }
                        }
                    }
                    ref float xi = ref MemoryMarshal.GetReference(x.Slice((int)(n * s.H * s.W), (int)(s.H * s.W)));
                    for (int gIndex = 0; gIndex < groups; gIndex++)
                    {
                        var biasSum = Vector256<float>.Zero;
                        for (int p = 0; p < rows * cols; p++)
                        {
                            biasSum += Vector256.LoadUnsafe(ref d0, (nuint)(p * op + gIndex * Lanes));
                        }
                        for (int kh = 0; kh < KernelSize; kh++)
                        {
                            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default;
                            for (int i = 0; i < rows; i++)
                            {
                                int row = (i + kh) * w;
                                int dRow = i * cols * op + gIndex * Lanes;
                                for (int j = 0; j < cols; j++)
                                {
                                    var g = Vector256.LoadUnsafe(ref d0, (nuint)(dRow + j * op));
                                    int at = row + j;
                                    s0 = Vector256.FusedMultiplyAdd(g, Vector256.Create(Unsafe.Add(ref xi, at)), s0);
                                    s1 = Vector256.FusedMultiplyAdd(g, Vector256.Create(Unsafe.Add(ref xi, at + 1)), s1);
                                    s2 = Vector256.FusedMultiplyAdd(g, Vector256.Create(Unsafe.Add(ref xi, at + 2)), s2);
                                    s3 = Vector256.FusedMultiplyAdd(g, Vector256.Create(Unsafe.Add(ref xi, at + 3)), s3);
                                    s4 = Vector256.FusedMultiplyAdd(g, Vector256.Create(Unsafe.Add(ref xi, at + 4)), s4);
                                }
                            }
                            Add(sums, (kh * KernelSize + 0) * op + gIndex * Lanes, s0);
                            Add(sums, (kh * KernelSize + 1) * op + gIndex * Lanes, s1);
                            Add(sums, (kh * KernelSize + 2) * op + gIndex * Lanes, s2);
                            Add(sums, (kh * KernelSize + 3) * op + gIndex * Lanes, s3);
                            Add(sums, (kh * KernelSize + 4) * op + gIndex * Lanes, s4);
                        }
                        Add(sums, Taps * op + gIndex * Lanes, biasSum);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(dense);
            }
        }

        private static void Add(float[] sums, int at, Vector256<float> value)
        {
            var span = sums.AsSpan(at, Lanes);
            (Vector256.Create<float>(span) + value).CopyTo(span);
        }

        /// <summary>The weight as 25 rows of O' floats (tap-major, channels padded with zeros).</summary>
        private static float[] TransposedWeight(Tensor weight, Shapes s)
        {
            using var detached = weight.detach();
            using var cpu = detached.contiguous();
            ReadOnlySpan<float> w = MemoryMarshal.Cast<byte, float>(cpu.bytes);
            var wt = new float[Taps * s.OPadded];
            for (int c = 0; c < s.O; c++)
            {
                for (int k = 0; k < Taps; k++)
                {
                    wt[k * s.OPadded + c] = w[(int)(c * Taps + k)];
                }
            }
            return wt;
        }

        private static float[] PaddedBias(Tensor bias, Shapes s)
        {
            using var detached = bias.detach();
            using var cpu = detached.contiguous();
            var b = new float[s.OPadded];
            MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(b);
            return b;
        }

        /// <summary>Chunks of <see cref="ChunkImages"/> images the batch is split into.</summary>
        private static int Chunks(long images) => (int)((images + ChunkImages - 1) / ChunkImages);

        /// <summary>
        /// Runs <paramref name="body"/>(chunk, first image, end image) over fixed chunks of the batch, on as many
        /// threads as libtorch's count for the calling thread; a thread takes the next chunk when it is done, so a
        /// thread descheduled by another program does not hold the others up. The chunks do not depend on the thread
        /// count, so neither do the results (partial sums are added in chunk order).
        /// </summary>
        private static void RunParts(long images, Action<int, int, int> body)
        {
            int chunks = Chunks(images);
            int threads = (int)Math.Max(1, Math.Min(get_num_threads(), chunks));
            if (threads == 1)
            {
                for (int c = 0; c < chunks; c++)
                {
                    body(c, c * ChunkImages, (int)Math.Min(images, (c + 1L) * ChunkImages));
                }
                return;
            }
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
                c => body(c, c * ChunkImages, (int)Math.Min(images, (c + 1L) * ChunkImages)));
        }

        /// <summary>Sizes of one call.</summary>
        private readonly record struct Shapes(long N, long H, long W, long O)
        {
            public long PH => (H - KernelSize + 1) / Pool;

            public long PW => (W - KernelSize + 1) / Pool;

            public long OPadded => (O + Lanes - 1) / Lanes * Lanes;

            public static Shapes Of(Tensor input, Tensor weight) => new(input.shape[0], input.shape[2], input.shape[3], weight.shape[0]);
        }
    }
}
