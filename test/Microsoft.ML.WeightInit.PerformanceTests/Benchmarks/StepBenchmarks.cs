using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>200 SGD steps of the bare loop per convolution path and per thread count.</summary>
    public class StepBenchmarks : ThreadCountBenchmark
    {
        /// <summary>Steps per measurement.</summary>
        public const int Steps = 200;

        /// <summary>Convolution path.</summary>
        [Params(ConvolutionPath.ChannelsLast, ConvolutionPath.Native, ConvolutionPath.Im2Col)]
        public ConvolutionPath Path { get; set; }

        /// <summary>200 steps of 64 images.</summary>
        [Benchmark]
        public long TrainSteps() => BareLoop.Train(PerfData.TrainTensors, Path, steps: Steps);
    }
}
