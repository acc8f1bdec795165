using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Scoring
{
    /// <summary>
    /// A NaN or ∞ pixel used to give NaN scores, PredictedLabel 0 and Evaluate's MicroAccuracy 0 / LogLoss 0 with no
    /// error. Now reading such a row from Transform, Evaluate or a PredictionEngine is an InvalidDataException naming
    /// the feature column, the row and the value.
    /// </summary>
    [TestClass]
    public sealed class NonFiniteInputTests
    {
        [TestMethod]
        [DataRow(float.NaN, "NaN")]
        [DataRow(float.PositiveInfinity, "Infinity")]
        public void ANonFinitePixel_InTransformAndEvaluate_IsAnErrorNamingTheRow(float bad, string shown)
        {
            var mlContext = SampleModel.MLContext;
            var rows = mlContext.Data.CreateEnumerable<DigitRow>(SampleModel.Test, false).Take(10).ToList();
            rows[7].Features[300] = bad;
            var data = mlContext.Data.LoadFromEnumerable(rows);

            // ML.NET's parallel cursors wrap the error (InvalidOperationException "Splitter/consolidator worker …").
            var read = Assert.Throws<Exception>(() => SampleModel.Model.Transform(data).GetColumn<float[]>("Score").ToList());
            var evaluate = Assert.Throws<Exception>(() => mlContext.MulticlassClassification.Evaluate(SampleModel.Model.Transform(data)));

            StringAssert.Contains(Messages(read), $"Row 7 of feature column 'Features' holds {shown} at index 300; InitCnn scores only finite feature values (a non-finite pixel makes every score NaN).");
            StringAssert.Contains(Messages(evaluate), "Row 7 of feature column 'Features'");
        }

        [TestMethod]
        public void ANaNPixel_InAPredictionEngine_IsAnError_AndTheEngineStillScoresGoodRows()
        {
            var mlContext = SampleModel.MLContext;
            var row = mlContext.Data.CreateEnumerable<DigitRow>(SampleModel.Test, false).First();
            var engine = mlContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(SampleModel.Model);
            var good = engine.Predict(row);
            var bad = new DigitRow { Label = row.Label, Features = (float[])row.Features.Clone() };
            bad.Features[0] = float.NaN;

            var e = Assert.ThrowsExactly<InvalidDataException>(() => engine.Predict(bad));

            StringAssert.Contains(e.Message, "holds NaN at index 0");
            CollectionAssert.AreEqual(good.Score, engine.Predict(row).Score);
        }

        private static string Messages(Exception e)
        {
            string all = "";
            for (Exception? x = e; x is not null; x = x.InnerException)
            {
                all += x.Message + " | ";
            }
            return all;
        }
    }
}
