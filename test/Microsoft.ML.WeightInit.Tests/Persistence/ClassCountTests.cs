using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>Model zips for other class counts and label types: 3 text classes and 26 letters round-trip through
    /// plain ML.NET (any K ≥ 2: the ONNX graph has no per-K type).</summary>
    [TestClass]
    public sealed class ClassCountTests
    {
        private const int Side = 16;

        [TestMethod]
        public void ThreeTextClasses_SaveAndLoadWithPlainMLNet_KeepingTheNamesAndScores()
        {
            var mlContext = new MLContext(seed: 0);
            string[] names = { "owl", "cat", "dog" };
            var data = mlContext.Data.LoadFromEnumerable(Rows(60, i => names[i % 3]));
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1, batchSize: 10))
                .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
                .Fit(data);
            string zip = Path.Combine(Path.GetTempPath(), "weightinit-k3-" + Guid.NewGuid().ToString("N") + ".zip");
            try
            {
                mlContext.Model.Save(model, data.Schema, zip);
                var loaded = new MLContext().Model.Load(zip, out _);

                var before = mlContext.Data.CreateEnumerable<TextPrediction>(model.Transform(data), false).ToList();
                var after = mlContext.Data.CreateEnumerable<TextPrediction>(loaded.Transform(data), false).ToList();

                Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), loaded.GetOutputSchema(data.Schema)["Score"].Type);
                for (int i = 0; i < before.Count; i++)
                {
                    Assert.AreEqual(before[i].PredictedLabel, after[i].PredictedLabel, $"row {i}");
                    CollectionAssert.AreEqual(before[i].Score, after[i].Score, $"row {i}");
                }
                CollectionAssert.IsSubsetOf(after.Select(p => p.PredictedLabel).Distinct().ToArray(), names);
            }
            finally
            {
                File.Delete(zip);
            }
        }

        [TestMethod]
        public void TwentySixLetterClasses_SaveAndLoadWithPlainMLNet_KeepingTheLettersScoresAndMetrics()
        {
            var mlContext = new MLContext(seed: 0);
            string[] letters = Enumerable.Range(0, 26).Select(i => ((char)('a' + i)).ToString()).ToArray();
            var data = mlContext.Data.LoadFromEnumerable(Rows(104, i => letters[i % 26]));
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1, batchSize: 26))
                .Fit(data);
            using var stream = new MemoryStream();
            mlContext.Model.Save(model, data.Schema, stream);
            stream.Position = 0;
            var loaded = new MLContext().Model.Load(stream, out _);

            var before = model.Transform(data);
            var after = loaded.Transform(data);

            Assert.AreEqual(26, ((VectorDataViewType)after.Schema["Score"].Type).Size);
            var keyValues = default(VBuffer<ReadOnlyMemory<char>>);
            after.Schema["PredictedLabel"].GetKeyValues(ref keyValues);
            CollectionAssert.AreEqual(letters, keyValues.DenseValues().Select(v => v.ToString()).ToArray());
            CollectionAssert.AreEqual(before.GetColumn<uint>("PredictedLabel").ToArray(), after.GetColumn<uint>("PredictedLabel").ToArray());
            var scoresBefore = before.GetColumn<float[]>("Score").ToArray();
            var scoresAfter = after.GetColumn<float[]>("Score").ToArray();
            for (int i = 0; i < scoresBefore.Length; i++)
            {
                CollectionAssert.AreEqual(scoresBefore[i], scoresAfter[i], $"row {i}");
            }
            var m1 = mlContext.MulticlassClassification.Evaluate(before);
            var m2 = mlContext.MulticlassClassification.Evaluate(after);
            Assert.AreEqual(m1.LogLoss, m2.LogLoss);
            Assert.AreEqual(m1.MicroAccuracy, m2.MicroAccuracy);
        }

        [TestMethod]
        public void AnOnnxEntrySwappedInFromAnotherModel_IsRejected_NamingTheFileAndEntry()
        {
            // Issue 15, item 2: a 4-class model zip carrying the ONNX entry of a 3-class model (each entry intact, CRCs
            // valid) must not load as either model.
            var mlContext = new MLContext(seed: 0);
            byte[] Save(string[] names)
            {
                var data = mlContext.Data.LoadFromEnumerable(Rows(40, i => names[i % names.Length]));
                var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
                    .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1, batchSize: 10))
                    .Fit(data);
                using var stream = new MemoryStream();
                mlContext.Model.Save(model, data.Schema, stream);
                return stream.ToArray();
            }
            byte[] host = Save(new[] { "a", "b", "c", "d" });
            byte[] donor = Save(new[] { "owl", "cat", "dog" });
            static (string Name, byte[] Bytes) OnnxEntry(byte[] zip)
            {
                using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
                var entry = archive.Entries.Single(e => e.Name == "OnnxModel");
                using var data = entry.Open();
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                return (entry.FullName, copy.ToArray());
            }
            var (name, _) = OnnxEntry(host);
            var (_, donorBytes) = OnnxEntry(donor);
            string path = Path.Combine(Path.GetTempPath(), "weightinit-swapped-" + Guid.NewGuid().ToString("N") + ".zip");
            try
            {
                File.WriteAllBytes(path, host);
                using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
                {
                    archive.GetEntry(name)!.Delete();
                    using var stream = archive.CreateEntry(name).Open();
                    stream.Write(donorBytes);
                }
                var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.LoadInitCnn(path, out _));
                StringAssert.Contains(e.Message, path);
                StringAssert.Contains(e.Message, $"entry '{name}'");
                StringAssert.Contains(e.Message, "the ONNX model has 3 classes (owl, cat, dog) but the zip's scoring chain maps 4 (a, b, c, d)");
            }
            finally
            {
                File.Delete(path);
            }
        }

        private static IEnumerable<TextRow> Rows(int count, Func<int, string> label) =>
            Enumerable.Range(0, count).Select(i => new TextRow
            {
                Label = label(i),
                Features = Enumerable.Range(0, Side * Side).Select(j => ((i * 7 + j * 13) % 31) / 31f).ToArray(),
            });

        private sealed class TextRow
        {
            public string Label { get; set; } = "";

            [VectorType(Side * Side)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class TextPrediction
        {
            public string PredictedLabel { get; set; } = "";

            public float[] Score { get; set; } = Array.Empty<float>();
        }
    }
}
