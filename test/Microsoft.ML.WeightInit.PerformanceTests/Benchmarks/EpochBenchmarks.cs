using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>One training epoch on full MNIST: through ML.NET (<c>InitCnn</c> Fit, data loading included) versus the bare loop.</summary>
    public class EpochBenchmarks
    {
        private ConvolutionPath _path;
        private bool _fused;
        private int _parts;


        /// <summary>Loads the data and picks the convolution path outside the measurement.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _ = PerfData.TrainTensors;
            _path = ConvolutionPathSelector.Current.Path;
            _fused = ConvolutionPathSelector.Current.UsesFusedConv1;
            _parts = TorchSharp.torch.get_num_threads();
        }

        /// <summary>Bare TorchSharp loop over pre-made tensors doing what InitCnn does: the kernels it selects, each
        /// batch split across the threads (one part per thread, 1 libtorch thread each).</summary>
        [Benchmark(Baseline = true)]
        public long BareTorchSharpEpochSplit() => BareLoop.Train(PerfData.TrainTensors, _path, fused: _fused, parts: _parts * BareLoop.LibraryPartsPerThread, workers: _parts);

        /// <summary>The bare loop with one graph per batch on libtorch's threads (before the batch was split).</summary>
        [Benchmark]
        public long BareTorchSharpEpoch() => BareLoop.Train(PerfData.TrainTensors, _path, fused: _fused);

        /// <summary>The bare loop with conv1, ReLU and pooling by libtorch (before the fused kernel).</summary>
        [Benchmark]
        public long BareTorchSharpEpochLibtorchConv1() => BareLoop.Train(PerfData.TrainTensors, _path, fused: false);

        /// <summary><c>mlContext.MulticlassClassification.Trainers.InitCnn(...).Fit(IDataView)</c>, one epoch.</summary>
        [Benchmark]
        public int InitCnnFitEpoch()
        {
            // No path pinned: the trainer's own checked selection (the same path, and the fused conv1 kernel when it passed).
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1 };
            using var model = PerfData.MLContext.MulticlassClassification.Trainers.InitCnn(options).Fit(PerfData.Train);
            return model.Model.History.Count;
        }
    }
}
