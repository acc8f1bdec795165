using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>One-epoch InitCnn fit time against the training-set size: it should be linear.</summary>
    public class SizeBenchmarks
    {
        private IDataView _data = null!;

        /// <summary>Training rows.</summary>
        [Params(6_000, 15_000, 30_000, 60_000)]
        public int Rows { get; set; }

        /// <summary>Takes the first <see cref="Rows"/> rows.</summary>
        [GlobalSetup]
        public void Setup() => _data = PerfData.MLContext.Data.TakeRows(PerfData.Train, Rows);

        /// <summary>Fit one epoch.</summary>
        [Benchmark]
        public int FitEpoch()
        {
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1 };
            using var model = PerfData.MLContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_data);
            return model.Model.History.Count;
        }
    }
}
