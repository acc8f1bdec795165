using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Tests.Interop;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Scoring
{
    /// <summary>
    /// Scoring input the model cannot take — no feature column, other item type, unknown or other size, a disposed
    /// model — fails when the pipeline is built, naming the column and what the model expects.
    /// </summary>
    [TestClass]
    public sealed class ScoringInputTests
    {
        private readonly MLContext _mlContext = new(seed: 0);

        [TestMethod]
        public void Transform_WithoutTheFeatureColumn_NamesIt()
        {
            using var model = Model();
            var data = _mlContext.Data.LoadFromEnumerable(new[] { new PixelsRow { Pixels = new float[784] } });

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(data));

            StringAssert.Contains(e.Message, "The input has no feature column 'Features'. Columns: 'Pixels'.");
        }

        [TestMethod]
        public void Transform_OfDoubles_SaysTheTypeExpected()
        {
            using var model = Model();
            var data = _mlContext.Data.LoadFromEnumerable(new[] { new DoubleRow { Features = new double[784] } });

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(data));

            StringAssert.Contains(e.Message, "Feature column 'Features' is Vector<Double, 784>; the model expects a vector of 784 Single.");
        }

        [TestMethod]
        public void PredictionEngine_WithAnInputClassWithoutFeatures_NamesTheColumn()
        {
            using var model = Model();

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.Model.CreatePredictionEngine<PixelsRow, DigitPrediction>(model));

            StringAssert.Contains(e.Message, "no feature column 'Features'");
        }

        [TestMethod]
        public void PredictionEngine_WithFeaturesOfUnknownSize_SaysTheSizeExpected()
        {
            using var model = Model();

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.Model.CreatePredictionEngine<UnsizedRow, DigitPrediction>(model));

            StringAssert.Contains(e.Message, "Feature column 'Features' is Vector<Single>; the model expects a vector of 784 Single.");
        }

        [TestMethod]
        public void ADisposedModel_SaysSo_InsteadOfAnEmptyTensorError()
        {
            var model = Model();
            var data = _mlContext.Data.LoadFromEnumerable(new[] { new DigitRow { Features = new float[784] } });
            model.Dispose();

            Assert.ThrowsExactly<ObjectDisposedException>(() => model.Transform(data));
            Assert.ThrowsExactly<ObjectDisposedException>(() => _mlContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(model));
            var e = Assert.ThrowsExactly<ObjectDisposedException>(() => model.Model.ExportStateDict(new MemoryStream()));
            StringAssert.Contains(e.Message, "freed by Dispose");
            // Saving would write a zip without weights that loads but cannot score.
            var zip = new MemoryStream();
            Assert.ThrowsExactly<ObjectDisposedException>(() => _mlContext.Model.Save(model, data.Schema, zip));
            string path = Path.Combine(Path.GetTempPath(), "weightinit-disposed-" + Guid.NewGuid().ToString("N") + ".zip");
            Assert.ThrowsExactly<ObjectDisposedException>(() => _mlContext.Model.SaveAtomically(model, data.Schema, path));
            Assert.IsFalse(File.Exists(path), "SaveAtomically left a file");
        }

        [TestMethod]
        public void AViewMadeBeforeDispose_AndReadAfterIt_SaysTheModelWasDisposed()
        {
            var model = Model();
            var data = _mlContext.Data.LoadFromEnumerable(new[] { new DigitRow { Features = new float[784] } });
            var scored = model.Transform(data);
            model.Dispose();

            var e = Assert.ThrowsExactly<ObjectDisposedException>(() => _mlContext.Data.CreateEnumerable<DigitPrediction>(scored, false).ToList());
            StringAssert.Contains(e.Message, "freed by Dispose");
        }

        private InitCnnTransformer Model()
        {
            using var stream = new MemoryStream(StateDictFiles.Zip(StateDictFiles.MnistNet()));
            return _mlContext.Model.ImportInitCnn(stream);
        }

        private sealed class PixelsRow
        {
            [VectorType(784)]
            public float[] Pixels { get; set; } = Array.Empty<float>();
        }

        private sealed class DoubleRow
        {
            [VectorType(784)]
            public double[] Features { get; set; } = Array.Empty<double>();
        }

        private sealed class UnsizedRow
        {
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
