using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    internal static class DataParallelProbe
    {
        public static string Independent(int parts, long steps)
        {
            var data = PerfData.TrainTensors;
            var watch = Stopwatch.StartNew();
            long seen = 0;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
            {
                set_num_threads(1);
                System.Threading.Interlocked.Add(ref seen, BareLoop.Train(data, ConvolutionPathSelector.Current.Path, steps: steps, fused: ConvolutionPathSelector.Current.UsesFusedConv1));
            });
            double sec = watch.Elapsed.TotalSeconds;
            return FormattableString.Invariant($"independent {parts}: {seen} images in {sec:F2} s ({seen / sec:F0} images/s)\n");
        }

        public static string Run(int parts, long steps)
        {
            var data = PerfData.TrainTensors;
            using var net = new MnistCnn(data.Shape, ConvolutionPathSelector.Current.Path) { FusedConv1ReluPool = ConvolutionPathSelector.Current.UsesFusedConv1 };
            using var generator = new Generator(1);
            NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.PyTorchDefault);
            using var optimizer = optim.SGD(net.parameters(), 0.01, 0.5);
            using var order = randperm(data.Count, generator: generator);
            int batch = 64;
            var watch = Stopwatch.StartNew();
            long seen = 0;
            double lossSum = 0;
            for (long start = 0, step = 0; start < data.Count && step < steps; start += batch, step++)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batch, data.Count - start);
                optimizer.zero_grad();
                var losses = new double[parts];
                long s0 = start;
                Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
                {
                    set_num_threads(1);
                    using var inner = NewDisposeScope();
                    long lo = size * p / parts, hi = size * (p + 1) / parts;
                    var index = order.narrow(0, s0 + lo, hi - lo);
                    var loss = F.nll_loss(net.forward(data.Features.index_select(0, index)), data.Labels.index_select(0, index), reduction: nn.Reduction.Sum).mul(1.0 / size);
                    loss.backward();
                    losses[p] = loss.item<float>();
                });
                optimizer.step();
                foreach (var l in losses) lossSum += l;
                seen += size;
            }
            double sec = watch.Elapsed.TotalSeconds;
            return FormattableString.Invariant($"parts {parts}: {seen} images in {sec:F2} s ({seen / sec:F0} images/s), mean loss {lossSum / steps:F4}\n");
        }
    }
}
