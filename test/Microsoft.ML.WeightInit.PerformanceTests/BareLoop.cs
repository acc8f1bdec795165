using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// The baseline: a bare TorchSharp SGD loop over pre-made tensors with the same net, convolution path and batch
    /// size as InitCnn — no ML.NET, no history, no progress — written apart from the library's loop on purpose.
    /// </summary>
    internal static class BareLoop
    {
        /// <summary>The library's default parts per worker thread of a split batch, what InitCnn runs.</summary>
        public static readonly int LibraryPartsPerThread = new Microsoft.ML.WeightInit.Training.TrainingSettings().SplitPartsPerThread;

        /// <summary>Trains for <paramref name="steps"/> batches (all of one epoch by default); returns images seen.
        /// <paramref name="fused"/>: conv1 + ReLU + max-pool by the fused kernel (as InitCnn runs when it passed its check).
        /// <paramref name="parts"/> &gt; 1: each batch split into that many contiguous parts taken by
        /// <paramref name="workers"/> threads (default: one per part), each part's forward and backward with libtorch at
        /// 1 thread on the thread that takes it, the parts' gradients accumulated into the
        /// parameters' <c>.grad</c> by libtorch's autograd (the plain way a user would write data parallelism), then one
        /// SGD step. The calling thread's libtorch thread count is restored at the end.</summary>
        public static long Train(TensorDataset data, ConvolutionPath path, int batchSize = 64, long steps = long.MaxValue, bool fused = false, int parts = 1, int workers = 0)
        {
            int threads = get_num_threads();
            try
            {
                return TrainLoop(data, path, batchSize, steps, fused, parts, workers > 0 ? workers : parts);
            }
            finally
            {
                set_num_threads(threads);
            }
        }

        private static long TrainLoop(TensorDataset data, ConvolutionPath path, int batchSize, long steps, bool fused, int parts, int workers)
        {
            using var net = new MnistCnn(data.Shape, path) { FusedConv1ReluPool = fused };
            using var generator = new Generator(1);
            NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.PyTorchDefault);
            using var optimizer = optim.SGD(net.parameters(), 0.01, 0.5);
            using var order = randperm(data.Count, generator: generator);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
            long seen = 0;
            for (long start = 0, step = 0; start < data.Count && step < steps; start += batchSize, step++)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batchSize, data.Count - start);
                optimizer.zero_grad();
                if (parts <= 1)
                {
                    var index = order.narrow(0, start, size);
                    var loss = F.nll_loss(net.forward(data.Features.index_select(0, index)), data.Labels.index_select(0, index));
                    loss.backward();
                    _ = loss.item<float>();
                }
                else
                {
                    long first = start;
                    Parallel.For(0, parts, parallel, p =>
                    {
                        set_num_threads(1);
                        using var partScope = NewDisposeScope();
                        long lo = size * p / parts, hi = size * (p + 1) / parts;
                        var index = order.narrow(0, first + lo, hi - lo);
                        var loss = F.nll_loss(net.forward(data.Features.index_select(0, index)), data.Labels.index_select(0, index),
                            reduction: nn.Reduction.Sum).mul(1.0 / size);
                        loss.backward();
                        _ = loss.item<float>();
                    });
                }
                optimizer.step();
                seen += size;
            }
            return seen;
        }

        /// <summary>
        /// <paramref name="fits"/> independent bare-loop fits at once in this process, each on its own thread with
        /// libtorch at 1 thread (what a comparison running several fits at once does); returns images seen by all.
        /// </summary>
        public static long TrainIndependent(TensorDataset data, ConvolutionPath path, int fits, long steps, bool fused)
        {
            long seen = 0;
            Parallel.For(0, fits, new ParallelOptions { MaxDegreeOfParallelism = fits }, _ =>
            {
                set_num_threads(1);
                Interlocked.Add(ref seen, Train(data, path, steps: steps, fused: fused));
            });
            return seen;
        }
    }
}
