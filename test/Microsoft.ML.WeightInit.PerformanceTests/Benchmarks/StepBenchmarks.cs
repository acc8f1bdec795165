using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>200 SGD steps of the bare loop per convolution path and per thread count.</summary>
    public class StepBenchmarks
    {
        /// <summary>Steps per measurement.</summary>
        public const int Steps = 200;

        private int _defaultThreads;

        /// <summary>Convolution path.</summary>
        [Params(ConvolutionPath.ChannelsLast, ConvolutionPath.Native, ConvolutionPath.Im2Col)]
        public ConvolutionPath Path { get; set; }

        /// <summary>libtorch intra-op threads.</summary>
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
        public long TrainSteps() => BareLoop.Train(PerfData.TrainTensors, Path, steps: Steps);
    }
}
