using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>
    /// mlContext.Model.Save / Load of a pipeline holding InitCnn: plain ML.NET loading in a new MLContext gives the
    /// same scores bit for bit, and LoadInitCnn gives back the InitCnn transformer itself.
    /// </summary>
    [TestClass]
    public sealed class ModelZipTests
    {
        private static string s_directory = null!;
        private static string s_zip = null!;

        [ClassInitialize]
        public static void SaveOnce(TestContext context)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-zip-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
            s_zip = Path.Combine(s_directory, "model.zip");
            var watch = Stopwatch.StartNew();
            SampleModel.MLContext.Model.Save(SampleModel.Model, SampleModel.Train.Schema, s_zip);
            context.WriteLine($"Saved in {watch.Elapsed.TotalSeconds:F2} s: {new FileInfo(s_zip).Length} bytes");
        }

        [ClassCleanup]
        public static void DeleteZip() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        public void GetInitCnn_FindsTheTransformer_InFittedAndLoadInitCnnModels_AndExplainsAPlainLoad()
        {
            var expected = ((IEnumerable<ITransformer>)SampleModel.Model).OfType<InitCnnTransformer>().Single();
            Assert.AreSame(expected, SampleModel.Model.GetInitCnn());
            Assert.AreSame(expected, expected.GetInitCnn());
            var nested = new TransformerChain<ITransformer>(new ITransformer[] { new TransformerChain<ITransformer>(SampleModel.Model) });
            Assert.AreSame(expected, nested.GetInitCnn());

            var mlContext = new MLContext(seed: 5);
            var restored = mlContext.Model.LoadInitCnn(s_zip, out _).GetInitCnn();
            Assert.AreEqual(expected.Model.History.Count, restored.Model.History.Count);

            var plain = mlContext.Model.Load(s_zip, out _);
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => plain.GetInitCnn());
            StringAssert.Contains(e.Message, "LoadInitCnn");
            var two = new TransformerChain<ITransformer>(expected, expected);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidOperationException>(() => two.GetInitCnn()).Message, "more than one");
        }

        [TestMethod]
        public void PlainMLNetLoad_InANewContext_GivesBitIdenticalScoresAndLabels()
        {
            var mlContext = new MLContext(seed: 5);
            var loaded = mlContext.Model.Load(s_zip, out var schema);

            var before = Predictions(SampleModel.MLContext, SampleModel.Model, SampleModel.Test);
            var after = Predictions(mlContext, loaded, SampleModel.Test);

            Assert.AreEqual(1000, after.Count);
            Assert.IsTrue(schema.GetColumnOrNull("Features").HasValue);
            for (int i = 0; i < before.Count; i++)
            {
                Assert.AreEqual(before[i].PredictedLabel, after[i].PredictedLabel, $"row {i}");
                CollectionAssert.AreEqual(before[i].Score, after[i].Score, $"row {i}: scores differ");
            }
        }

        [TestMethod]
        public void PlainMLNetLoad_EvaluatesExactlyAsTheFittedModel()
        {
            var mlContext = new MLContext(seed: 5);
            var loaded = mlContext.Model.Load(s_zip, out _);

            var before = Evaluate(SampleModel.MLContext, SampleModel.Model);
            var after = Evaluate(mlContext, loaded);

            Assert.AreEqual(before.MicroAccuracy, after.MicroAccuracy);
            Assert.AreEqual(before.MacroAccuracy, after.MacroAccuracy);
            Assert.AreEqual(before.LogLoss, after.LogLoss);
            Assert.IsTrue(after.MicroAccuracy > 0.8, $"MicroAccuracy {after.MicroAccuracy}");
        }

        [TestMethod]
        public void PlainMLNetLoad_KeepsScoreSizeAndPredictedLabelKeyValues_LosesSlotNames()
        {
            var loaded = new MLContext().Model.Load(s_zip, out var schema);
            var scored = loaded.GetOutputSchema(schema);
            var inner = ((IEnumerable<ITransformer>)loaded).ElementAt(1).GetOutputSchema(KeyedSchema(loaded, schema));

            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 10), scored["Score"].Type);
            Assert.AreEqual(NumberDataViewType.UInt32, scored["PredictedLabel"].Type, "MapKeyToValue gives the digit back");
            var key = inner["PredictedLabel"];
            Assert.AreEqual(new KeyDataViewType(typeof(uint), 10), key.Type);
            var keyValues = default(VBuffer<uint>);
            key.Annotations.GetValue("KeyValues", ref keyValues);
            CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => (uint)i).ToArray(), keyValues.DenseValues().ToArray());
            Assert.IsNull(inner["Score"].Annotations.Schema.GetColumnOrNull("SlotNames"), "slot names do not survive plain loading");
            Assert.IsFalse(scored.Any(c => c.Name.StartsWith("__InitCnn", StringComparison.Ordinal) && !c.IsHidden), "temporary columns are dropped");
        }

        [TestMethod]
        public void LoadInitCnn_RestoresTheTransformer_WithOptionsInitializersAndHistory()
        {
            var mlContext = new MLContext(seed: 5);
            var loaded = mlContext.Model.LoadInitCnn(s_zip, out _);
            var cnn = ((IEnumerable<ITransformer>)loaded).OfType<InitCnnTransformer>().Single();
            var original = SampleModel.Cnn;

            Assert.AreEqual(original.Model.ImageShape, cnn.Model.ImageShape);
            Assert.AreEqual("xavier_uniform(gain=1)", cnn.Model.WeightInitializer);
            Assert.AreEqual("zeros", cnn.Model.BiasInitializer);
            Assert.AreEqual(original.Model.Settings, cnn.Model.Settings);
            Assert.AreEqual(original.Model.NormalizationMean, cnn.Model.NormalizationMean);
            Assert.AreEqual(original.Model.NormalizationStd, cnn.Model.NormalizationStd);
            CollectionAssert.AreEqual(original.Model.History.ToArray(), cnn.Model.History.ToArray());
            Assert.AreEqual(original.FeatureColumnName, cnn.FeatureColumnName);
            foreach (var (name, tensor) in original.Model.StateDict())
            {
                Assert.IsTrue(tensor.eq(cnn.Model.StateDict()[name]).all().item<bool>(), $"{name} differs");
            }
        }

        [TestMethod]
        public void LoadInitCnn_ScoresBitIdentically()
        {
            var mlContext = new MLContext(seed: 5);
            var loaded = mlContext.Model.LoadInitCnn(s_zip, out _);

            var before = Predictions(SampleModel.MLContext, SampleModel.Model, SampleModel.Test);
            var after = Predictions(mlContext, loaded, SampleModel.Test);

            for (int i = 0; i < before.Count; i++)
            {
                CollectionAssert.AreEqual(before[i].Score, after[i].Score, $"row {i}");
            }
        }

        [TestMethod]
        public void LoadInitCnn_FromAStream_AndRestoreInitCnn_OfAPlainLoad_Agree()
        {
            var mlContext = new MLContext();
            using var stream = File.OpenRead(s_zip);
            var fromStream = mlContext.Model.LoadInitCnn(stream, out _);
            var restored = mlContext.Model.RestoreInitCnn(mlContext.Model.Load(s_zip, out _));

            Assert.AreEqual(1, ((IEnumerable<ITransformer>)fromStream).OfType<InitCnnTransformer>().Count());
            Assert.AreEqual(1, ((IEnumerable<ITransformer>)restored).OfType<InitCnnTransformer>().Count());
        }

        [TestMethod]
        public void RestoreInitCnn_OfAModelWithoutInitCnn_ReturnsItUnchanged()
        {
            var mlContext = new MLContext();
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(SampleModel.Train);

            Assert.AreSame(model, mlContext.Model.RestoreInitCnn(model));
        }

        [TestMethod]
        public void TheTransformerAlone_SavesAndLoads()
        {
            string path = Path.Combine(s_directory, "alone.zip");
            var keyed = ((IEnumerable<ITransformer>)SampleModel.Model).First().Transform(SampleModel.Test);
            SampleModel.MLContext.Model.Save(SampleModel.Cnn, keyed.Schema, path);

            var mlContext = new MLContext();
            var plain = mlContext.Model.Load(path, out _);
            var restored = mlContext.Model.LoadInitCnn(path, out _);

            Assert.IsInstanceOfType<InitCnnTransformer>(restored);
            var expected = Scores(SampleModel.Cnn.Transform(keyed));
            var plainScores = Scores(plain.Transform(keyed));
            for (int i = 0; i < expected.Count; i++)
            {
                CollectionAssert.AreEqual(expected[i], plainScores[i], $"row {i}");
            }
        }

        internal static List<DigitPrediction> Predictions(MLContext mlContext, ITransformer model, IDataView data) =>
            mlContext.Data.CreateEnumerable<DigitPrediction>(model.Transform(data), reuseRowObject: false).ToList();

        private static MulticlassClassificationMetrics Evaluate(MLContext mlContext, ITransformer model)
        {
            // Evaluate on the keyed label and the PredictedLabel key (before MapKeyToValue).
            var chain = ((IEnumerable<ITransformer>)model).ToList();
            var scored = chain[1].Transform(chain[0].Transform(SampleModel.Test));
            return mlContext.MulticlassClassification.Evaluate(scored);
        }

        private static DataViewSchema KeyedSchema(ITransformer loaded, DataViewSchema input) =>
            ((IEnumerable<ITransformer>)loaded).First().GetOutputSchema(input);

        private static List<float[]> Scores(IDataView scored)
        {
            var result = new List<float[]>();
            using var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] });
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                result.Add(value.DenseValues().ToArray());
            }
            return result;
        }
    }
}
