using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>One training epoch on full MNIST: through ML.NET (<c>InitCnn</c> Fit, data loading included) versus the bare loop.</summary>
    public class EpochBenchmarks
    {
        private ConvolutionPath _path;

        /// <summary>Loads the data and picks the convolution path outside the measurement.</summary>
        [GlobalSetup]
        public void Setup()
        {
            _ = PerfData.TrainTensors;
            _path = ConvolutionPathSelector.Current.Path;
        }

        /// <summary>Bare TorchSharp loop over pre-made tensors.</summary>
        [Benchmark(Baseline = true)]
        public long BareTorchSharpEpoch() => BareLoop.Train(PerfData.TrainTensors, _path);

        /// <summary><c>mlContext.MulticlassClassification.Trainers.InitCnn(...).Fit(IDataView)</c>, one epoch.</summary>
        [Benchmark]
        public int InitCnnFitEpoch()
        {
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, ConvolutionPath = _path };
            using var model = PerfData.MLContext.MulticlassClassification.Trainers.InitCnn(options).Fit(PerfData.Train);
            return model.Model.History.Count;
        }
    }
}
