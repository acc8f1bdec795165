using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>Model zips for other class counts and label types: 3 text classes round-trip, 12 classes cannot be
    /// saved (one compiled output type per count, 2 to 10).</summary>
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
        public void TwelveClasses_CannotBeSaved_AndTheMessageSaysWhatCan()
        {
            var mlContext = new MLContext(seed: 0);
            var data = mlContext.Data.LoadFromEnumerable(Rows(24, i => "class" + (i % 12)));
            var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
            using var cnn = mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1).Fit(keyed);
            using var stream = new MemoryStream();

            var e = Assert.ThrowsExactly<NotSupportedException>(() => mlContext.Model.Save(cnn, keyed.Schema, stream));

            StringAssert.Contains(e.Message, "12 classes");
            StringAssert.Contains(e.Message, "2 to 10 classes");
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
