using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Scoring
{
    /// <summary>
    /// PredictionEngine over a fitted model, over a model loaded with plain ML.NET and over one loaded with
    /// LoadInitCnn: each image gets the same scores, bit for bit, as in a batched Transform.
    /// </summary>
    [TestClass]
    public sealed class PredictionEngineTests
    {
        private static string s_zip = null!;
        private static List<DigitRow> s_inputs = null!;
        private static List<DigitPrediction> s_batch = null!;

        [ClassInitialize]
        public static void Prepare(TestContext _)
        {
            s_zip = Path.Combine(Path.GetTempPath(), "weightinit-engine-" + Guid.NewGuid().ToString("N") + ".zip");
            SampleModel.MLContext.Model.Save(SampleModel.Model, SampleModel.Train.Schema, s_zip);
            s_inputs = SampleModel.MLContext.Data.CreateEnumerable<DigitRow>(SampleModel.Test, reuseRowObject: false).ToList();
            s_batch = SampleModel.MLContext.Data.CreateEnumerable<DigitPrediction>(SampleModel.Model.Transform(SampleModel.Test), reuseRowObject: false).ToList();
        }

        [ClassCleanup]
        public static void Cleanup() => File.Delete(s_zip);

        [TestMethod]
        public void FittedModel_PredictsEveryTestImageAsTheBatchedTransform_BitForBit() =>
            AssertEngineMatchesBatch(SampleModel.MLContext, SampleModel.Model, s_inputs.Count);

        [TestMethod]
        public void PlainLoadedModel_PredictsAsTheFittedModel_BitForBit()
        {
            var mlContext = new MLContext();
            AssertEngineMatchesBatch(mlContext, mlContext.Model.Load(s_zip, out _), 300);
        }

        [TestMethod]
        public void InitCnnLoadedModel_PredictsAsTheFittedModel_BitForBit()
        {
            var mlContext = new MLContext();
            AssertEngineMatchesBatch(mlContext, mlContext.Model.LoadInitCnn(s_zip, out _), 300);
        }

        [TestMethod]
        public void LoadedModel_WithAFeatureVectorOfTheWrongSize_FailsNamingTheSize()
        {
            var mlContext = new MLContext();
            var model = mlContext.Model.LoadInitCnn(s_zip, out _);
            var rows = mlContext.Data.LoadFromEnumerable(new[] { new ShortRow { Features = new float[100] } });

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(rows));

            StringAssert.Contains(e.Message, "Feature column 'Features' is Vector<Single>; the model expects a vector of 784 Single.");
        }

        private static void AssertEngineMatchesBatch(MLContext mlContext, ITransformer model, int count)
        {
            var engine = mlContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(model);
            for (int i = 0; i < count; i++)
            {
                var single = engine.Predict(s_inputs[i]);
                Assert.AreEqual(s_batch[i].PredictedLabel, single.PredictedLabel, $"row {i}");
                CollectionAssert.AreEqual(s_batch[i].Score, single.Score, $"row {i}: scores differ");
            }
        }

        private sealed class ShortRow
        {
            public uint Label { get; set; }

            [Microsoft.ML.Data.VectorType]
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
