using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Trainers
{
    /// <summary>End to end on the bundled sample: fit through the catalog, Evaluate, PredictionEngine.</summary>
    [TestClass]
    public sealed class InitCnnTrainerTests
    {
        private static MLContext s_mlContext = null!;
        private static IDataView s_train = null!;
        private static IDataView s_test = null!;
        private static ITransformer s_model = null!;
        private static InitCnnTransformer s_cnn = null!;
        private static readonly List<string> s_log = new();

        [ClassInitialize]
        public static void FitOnce(TestContext _)
        {
            s_mlContext = new MLContext(seed: 0);
            s_mlContext.Log += (_, e) =>
            {
                if (e.Source.StartsWith(InitCnnTrainer.LoadName, StringComparison.Ordinal))
                {
                    lock (s_log)
                    {
                        s_log.Add(e.Message);
                    }
                }
            };
            s_train = s_mlContext.Data.LoadMnistSample(MnistSplit.Train);
            s_test = s_mlContext.Data.LoadMnistSample(MnistSplit.Test);
            var keys = s_mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue);
            var pipeline = keys
                .Append(s_mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = 2,
                    ValidationSet = keys.Fit(s_train).Transform(s_test),
                }))
                .Append(s_mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            var chain = pipeline.Fit(s_train);
            s_model = chain;
            s_cnn = chain.OfType<InitCnnTransformer>().Single();
        }

        [TestMethod]
        public void FitAndEvaluate_OnTheSample_ReachesTheAccuracyFloor()
        {
            var metrics = s_mlContext.MulticlassClassification.Evaluate(s_model.Transform(s_test));

            // 2 epochs on 6,000 images reach about 0.87 on the first 1,000 test images; a broken net stays near 0.1.
            Assert.IsTrue(metrics.MicroAccuracy >= 0.80, $"MicroAccuracy {metrics.MicroAccuracy:F4}");
            Assert.IsTrue(metrics.MacroAccuracy >= 0.80, $"MacroAccuracy {metrics.MacroAccuracy:F4}");
            Assert.IsTrue(metrics.LogLoss < 0.7, $"LogLoss {metrics.LogLoss:F4}");
            Assert.AreEqual(10, metrics.ConfusionMatrix.NumberOfClasses);
            Assert.AreEqual(1000, metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()));
        }

        [TestMethod]
        public void History_HasOneEntryPerEpoch_AgreeingWithEvaluate()
        {
            var history = s_cnn.Model.History;
            var metrics = s_mlContext.MulticlassClassification.Evaluate(s_model.Transform(s_test));

            Assert.AreEqual(2, history.Count);
            CollectionAssert.AreEqual(new[] { 1, 2 }, history.Select(h => h.Epoch).ToArray());
            Assert.IsTrue(history[1].ValidationLoss < history[0].ValidationLoss, "validation loss did not fall");
            Assert.IsTrue(history.All(h => h.Seconds > 0 && h.ImagesPerSecond > 0 && double.IsFinite(h.TrainingLoss)));
            // The history's last validation loss and accuracy are Evaluate's LogLoss and MicroAccuracy on the same data.
            Assert.AreEqual(metrics.LogLoss, history[1].ValidationLoss, 1e-4);
            Assert.AreEqual(metrics.MicroAccuracy, history[1].ValidationAccuracy, 1e-9);
        }

        [TestMethod]
        public void TrainingMessages_ReachMLContextLog()
        {
            string[] lines;
            lock (s_log)
            {
                lines = s_log.ToArray();
            }
            Assert.IsTrue(lines.Any(l => l.Contains("Convolution path: ", StringComparison.Ordinal)), string.Join("\n", lines));
            Assert.IsTrue(lines.Any(l => l.Contains("Epoch 2/2", StringComparison.Ordinal)), string.Join("\n", lines));
        }

        [TestMethod]
        public void OutputSchema_HasScoreVectorAndKeyedPredictedLabel()
        {
            var scored = s_cnn.Transform(KeyedTest());
            var score = scored.Schema["Score"];
            var predicted = scored.Schema["PredictedLabel"];

            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 10), score.Type);
            Assert.IsInstanceOfType<KeyDataViewType>(predicted.Type);
            Assert.AreEqual(10UL, ((KeyDataViewType)predicted.Type).Count);
            var keyValues = default(VBuffer<uint>);
            predicted.Annotations.GetValue("KeyValues", ref keyValues);
            CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => (uint)i).ToArray(), keyValues.DenseValues().ToArray());
        }

        [TestMethod]
        public void Scores_AreProbabilities_AndPredictedLabelIsTheirArgmax()
        {
            var rows = s_mlContext.Data.CreateEnumerable<DigitPrediction>(s_model.Transform(s_test), reuseRowObject: false).ToList();

            Assert.AreEqual(1000, rows.Count);
            foreach (var row in rows)
            {
                Assert.AreEqual(1.0, row.Score.Sum(), 1e-4);
                Assert.IsTrue(row.Score.All(p => p >= 0 && p <= 1));
                int argmax = Array.IndexOf(row.Score, row.Score.Max());
                Assert.AreEqual((uint)argmax, row.PredictedLabel, "PredictedLabel maps back to the digit of the top score");
            }
        }

        [TestMethod]
        public void PredictionEngine_GivesTheSameScoresAsBatchTransform()
        {
            var batch = s_mlContext.Data.CreateEnumerable<DigitPrediction>(s_model.Transform(s_test), reuseRowObject: false).Take(50).ToList();
            var inputs = s_mlContext.Data.CreateEnumerable<DigitRow>(s_test, reuseRowObject: false).Take(50).ToList();
            var engine = s_mlContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(s_model);

            for (int i = 0; i < inputs.Count; i++)
            {
                var single = engine.Predict(inputs[i]);
                Assert.AreEqual(batch[i].PredictedLabel, single.PredictedLabel, $"row {i}");
                for (int k = 0; k < 10; k++)
                {
                    Assert.AreEqual(batch[i].Score[k], single.Score[k], 1e-5f, $"row {i}, class {k}");
                }
            }
        }

        [TestMethod]
        public void ShuffledCursor_ScoresEachRowLikeTheOrderedOne()
        {
            var scored = s_cnn.Transform(KeyedTest());
            var ordered = ReadScoresById(scored, null);
            var shuffled = ReadScoresById(scored, new Random(5));

            Assert.AreEqual(ordered.Count, shuffled.Count);
            // Batched and single-row forward passes block their GEMMs differently: equal to float rounding.
            foreach (var (id, score) in ordered)
            {
                for (int k = 0; k < score.Length; k++)
                {
                    Assert.AreEqual(score[k], shuffled[id][k], 1e-5f, $"row {id}, class {k}");
                }
            }
        }

        [TestMethod]
        public void SameSeed_GivesBitIdenticalScores_OtherSeedDoesNot()
        {
            var small = s_mlContext.Data.TakeRows(KeyedTrain(), 600);
            float[] First(int seed)
            {
                var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, Seed = seed };
                using var cnn = s_mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(small);
                return s_mlContext.Data.CreateEnumerable<DigitPrediction>(cnn.Transform(KeyedTest()), false).First().Score;
            }

            CollectionAssert.AreEqual(First(7), First(7));
            CollectionAssert.AreNotEqual(First(7), First(8));
        }

        [TestMethod]
        public void GetOutputSchema_OfTheEstimator_AddsScoreAndKeyedPredictedLabel()
        {
            var trainer = s_mlContext.MulticlassClassification.Trainers.InitCnn();
            // ML.NET makes shapes from schemas internally only (SchemaShape.Create); tests may reach it.
            var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!;
            var shape = (SchemaShape)create.Invoke(null, new object[] { KeyedTrain().Schema })!;

            var output = trainer.GetOutputSchema(shape);

            var score = output.Single(c => c.Name == "Score");
            var predicted = output.Single(c => c.Name == "PredictedLabel");
            Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, score.Kind);
            Assert.AreEqual(NumberDataViewType.Single, score.ItemType);
            Assert.IsTrue(predicted.IsKey);
        }

        [TestMethod]
        public void LabelNotAKey_IsRejected_NamingTheColumnAndTheFix()
        {
            var trainer = s_mlContext.MulticlassClassification.Trainers.InitCnn();

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(s_train));

            StringAssert.Contains(e.Message, "Label column 'Label'");
            StringAssert.Contains(e.Message, "expected a key type");
            StringAssert.Contains(e.Message, "MapValueToKey");
        }

        [TestMethod]
        public void FeaturesOfWrongSize_AreRejected_NamingTheColumnAndTheSize()
        {
            var rows = Enumerable.Range(0, 4).Select(i => new WideDigit { Label = (uint)(i % 2), Features = new float[785] });
            var data = s_mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(s_mlContext.Data.LoadFromEnumerable(rows))
                .Transform(s_mlContext.Data.LoadFromEnumerable(rows));

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_mlContext.MulticlassClassification.Trainers.InitCnn().Fit(data));

            StringAssert.Contains(e.Message, "Feature column 'Features' has 785 values");
        }

        [TestMethod]
        public void MissingFeatureColumn_IsRejected_ListingTheColumns()
        {
            var options = new InitCnnTrainer.Options { FeatureColumnName = "Pixels" };

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(KeyedTrain()));

            StringAssert.Contains(e.Message, "no feature column 'Pixels'");
            StringAssert.Contains(e.Message, "'Features'");
        }

        [TestMethod]
        public void ScoringData_WithWrongFeatureSize_IsRejected()
        {
            var rows = new[] { new WideDigit { Label = 1, Features = new float[785] } };

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_cnn.Transform(s_mlContext.Data.LoadFromEnumerable(rows)));

            StringAssert.Contains(e.Message, "expects a vector of 784 Single");
        }

        private static IDataView KeyedTrain() => s_mlContext.Transforms.Conversion
            .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(s_train).Transform(s_train);

        private static IDataView KeyedTest() => s_mlContext.Transforms.Conversion
            .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(s_train).Transform(s_test);

        private static Dictionary<DataViewRowId, float[]> ReadScoresById(IDataView scored, Random? random)
        {
            var result = new Dictionary<DataViewRowId, float[]>();
            using var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] }, random);
            var id = cursor.GetIdGetter();
            var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            DataViewRowId rowId = default;
            VBuffer<float> values = default;
            while (cursor.MoveNext())
            {
                id(ref rowId);
                score(ref values);
                result[rowId] = values.DenseValues().ToArray();
            }
            return result;
        }

        private sealed class WideDigit
        {
            public uint Label { get; set; }

            [VectorType(785)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
