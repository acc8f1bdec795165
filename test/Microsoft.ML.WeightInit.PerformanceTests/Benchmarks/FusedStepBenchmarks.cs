using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>200 SGD steps of the bare loop with the fused conv1 + ReLU + max-pool kernel (conv2 on the selected
    /// path), per thread count, as InitCnn trains: at 2 threads each batch split into 2 parts, one per thread at 1
    /// libtorch thread; the rows beside <see cref="StepBenchmarks"/>' libtorch paths (one graph per batch).</summary>
    public class FusedStepBenchmarks : ThreadCountBenchmark
    {
        /// <summary>200 steps of 64 images.</summary>
        [Benchmark]
        public long TrainSteps() => BareLoop.Train(PerfData.TrainTensors, ConvolutionPathSelector.Current.Path, steps: StepBenchmarks.Steps, fused: true, parts: Threads * BareLoop.LibraryPartsPerThread, workers: Threads);
    }
}
