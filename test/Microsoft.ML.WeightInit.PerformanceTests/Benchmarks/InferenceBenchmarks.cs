using BenchmarkDotNet.Attributes;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary><c>Transform</c> + <c>Evaluate</c> over the 10,000 test images.</summary>
    public class InferenceBenchmarks
    {
        private InitCnnTransformer _model = null!;

        /// <summary>Trains a model (one epoch on 6,000 images: the weights do not change the cost).</summary>
        [GlobalSetup]
        public void Setup()
        {
            var ml = PerfData.MLContext;
            _model = ml.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options { NumberOfEpochs = 1 })
                .Fit(ml.Data.TakeRows(PerfData.Train, 6000));
        }

        /// <summary>Frees the model.</summary>
        [GlobalCleanup]
        public void Cleanup() => _model.Dispose();

        /// <summary>Scores and evaluates the test split.</summary>
        [Benchmark]
        public double TransformAndEvaluate() =>
            PerfData.MLContext.MulticlassClassification.Evaluate(_model.Transform(PerfData.Test)).MicroAccuracy;

        /// <summary>The trained model (for the latency probe).</summary>
        public InitCnnTransformer Model => _model;
    }
}
