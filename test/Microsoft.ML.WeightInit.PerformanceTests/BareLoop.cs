using System;
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
        /// <summary>Trains for <paramref name="steps"/> batches (all of one epoch by default); returns images seen.
        /// <paramref name="fused"/>: conv1 + ReLU + max-pool by the fused kernel (as InitCnn runs when it passed its check).</summary>
        public static long Train(TensorDataset data, ConvolutionPath path, int batchSize = 64, long steps = long.MaxValue, bool fused = false)
        {
            using var net = new MnistCnn(data.Shape, path) { FusedConv1ReluPool = fused };
            using var generator = new Generator(1);
            NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.PyTorchDefault);
            using var optimizer = optim.SGD(net.parameters(), 0.01, 0.5);
            using var order = randperm(data.Count, generator: generator);
            long seen = 0;
            for (long start = 0, step = 0; start < data.Count && step < steps; start += batchSize, step++)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batchSize, data.Count - start);
                var index = order.narrow(0, start, size);
                optimizer.zero_grad();
                var loss = F.nll_loss(net.forward(data.Features.index_select(0, index)), data.Labels.index_select(0, index));
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
                seen += size;
            }
            return seen;
        }
    }
}
