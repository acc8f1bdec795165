using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>200 SGD steps of the bare loop with the fused conv1 + ReLU + max-pool kernel (conv2 on the selected
    /// path), per thread count: the rows beside <see cref="StepBenchmarks"/>' libtorch paths.</summary>
    public class FusedStepBenchmarks
    {
        private int _defaultThreads;

        /// <summary>libtorch intra-op threads (the fused kernel splits its work the same way).</summary>
        [Params(1, 2)]
        public int Threads { get; set; }

        /// <summary>Sets the thread count.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _ = PerfData.TrainTensors;
            _defaultThreads = torch.get_num_threads();
            torch.set_num_threads(Threads);
        }

        /// <summary>Restores the thread count.</summary>
        [GlobalCleanup]
        public void Cleanup() => torch.set_num_threads(_defaultThreads);

        /// <summary>200 steps of 64 images.</summary>
        [Benchmark]
        public long TrainSteps() => BareLoop.Train(PerfData.TrainTensors, ConvolutionPathSelector.Current.Path, steps: StepBenchmarks.Steps, fused: true);
    }
}
