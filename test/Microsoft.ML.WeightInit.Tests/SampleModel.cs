using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Tests
{
    /// <summary>
    /// One pipeline (MapValueToKey → InitCnn → MapKeyToValue) fitted once per test run on the bundled sample (1 epoch,
    /// seed 1), shared by the persistence, prediction and interop tests. Read-only: tests must not dispose it.
    /// </summary>
    internal static class SampleModel
    {
        private static readonly Lazy<Fitted> Instance = new(Fit);

        public static MLContext MLContext => Instance.Value.MLContext;

        /// <summary>Raw sample rows: Label (UInt32 digit), Features (784 floats).</summary>
        public static IDataView Train => Instance.Value.Train;

        public static IDataView Test => Instance.Value.Test;

        /// <summary>The fitted pipeline.</summary>
        public static ITransformer Model => Instance.Value.Model;

        public static InitCnnTransformer Cnn => ((IEnumerable<ITransformer>)Model).OfType<InitCnnTransformer>().Single();

        public static IEstimator<ITransformer> Pipeline(MLContext mlContext, int epochs = 1) =>
            mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = epochs,
                    WeightInitializer = Initializers.WeightInitializer.Parse("xavier_uniform(gain=1)"),
                    BiasInitializer = new Initializers.ZerosInitializer(),
                }))
                .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        private static Fitted Fit()
        {
            var mlContext = new MLContext(seed: 0);
            var train = mlContext.Data.LoadMnistSample(MnistSplit.Train);
            var test = mlContext.Data.LoadMnistSample(MnistSplit.Test);
            var model = Pipeline(mlContext).Fit(train);
            return new Fitted(mlContext, train, test, model);
        }

        private sealed record Fitted(MLContext MLContext, IDataView Train, IDataView Test, ITransformer Model);
    }

    /// <summary>A digit row as users declare it.</summary>
    public sealed class DigitRow
    {
        public uint Label { get; set; }

        [VectorType(784)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    /// <summary>What a pipeline ending in MapKeyToValue("PredictedLabel") predicts.</summary>
    public sealed class DigitPrediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
