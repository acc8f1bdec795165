using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>Training-step benchmarks run per libtorch intra-op thread count (1 and 2) on full MNIST's tensors; the
    /// thread count is set before and restored after each benchmark case.</summary>
    public abstract class ThreadCountBenchmark
    {
        private int _defaultThreads;

        /// <summary>libtorch intra-op threads (the fused kernel splits its work the same way).</summary>
        [Params(1, 2)]
        public int Threads { get; set; }

        /// <summary>Loads the data and sets the thread count.</summary>
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
    }
}
