using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>200 SGD steps of the bare loop with the fused conv1 + ReLU + max-pool kernel (conv2 on the selected
    /// path), per thread count: the rows beside <see cref="StepBenchmarks"/>' libtorch paths.</summary>
    public class FusedStepBenchmarks : ThreadCountBenchmark
    {
        /// <summary>200 steps of 64 images.</summary>
        [Benchmark]
        public long TrainSteps() => BareLoop.Train(PerfData.TrainTensors, ConvolutionPathSelector.Current.Path, steps: StepBenchmarks.Steps, fused: true);
    }
}
