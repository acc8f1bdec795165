using System;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Trainers
{
    /// <summary>Bad training input fails with a message naming the column (and row) and what was expected.</summary>
    [TestClass]
    public sealed class InitCnnTrainerInputTests
    {
        private readonly MLContext _mlContext = new(seed: 0);

        [TestMethod]
        public void ColumnNames_EmptyOrAClashOfTheOutputs_AreRejectedWhenThePipelineIsBuilt()
        {
            var trainers = _mlContext.MulticlassClassification.Trainers;
            var e = Assert.ThrowsExactly<ArgumentException>(() => trainers.InitCnn(new InitCnnTrainer.Options { ScoreColumnName = "" }));
            Assert.AreEqual("ScoreColumnName", e.ParamName);
            e = Assert.ThrowsExactly<ArgumentException>(() => trainers.InitCnn(new InitCnnTrainer.Options { LabelColumnName = " " }));
            Assert.AreEqual("LabelColumnName", e.ParamName);
            e = Assert.ThrowsExactly<ArgumentException>(() => trainers.InitCnn(new InitCnnTrainer.Options { ScoreColumnName = "X", PredictedLabelColumnName = "X" }));
            StringAssert.Contains(e.Message, "both 'X'");
            Assert.IsNotNull(trainers.InitCnn(new InitCnnTrainer.Options { ScoreColumnName = "S", PredictedLabelColumnName = "P" }));
        }

        [TestMethod]
        public void MissingKey_IsRejected_NamingRowAndColumn()
        {
            // Keys learnt from digits 0..4: the 7 in row 2 maps to key 0, ML.NET's missing value.
            var known = _mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new RawDigit { Label = (uint)i, Features = new float[784] }));
            var rows = Enumerable.Range(0, 4).Select(i => new RawDigit { Label = i == 2 ? 7u : 1u, Features = new float[784] });
            var keyed = _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(known).Transform(_mlContext.Data.LoadFromEnumerable(rows));

            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options { NumberOfEpochs = 1 }).Fit(keyed));

            StringAssert.Contains(e.Message, "Row 2");
            StringAssert.Contains(e.Message, "label column 'Label'");
            StringAssert.Contains(e.Message, "expected a key in 1..5");
        }

        [TestMethod]
        public void LabelUnseenInTraining_InTheValidationSet_IsRejected()
        {
            // Keys learnt from digits 0..4 only: a validation 7 maps to the missing key.
            var train = _mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new RawDigit { Label = (uint)(i % 5), Features = new float[784] }));
            var valid = _mlContext.Data.LoadFromEnumerable(new[] { new RawDigit { Label = 7, Features = new float[784] } });
            var keys = _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, ValidationSet = keys.Transform(valid) };

            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(keys.Transform(train)));

            StringAssert.Contains(e.Message, "missing or out-of-range key (0)");
            StringAssert.StartsWith(e.Message, "In the validation set (Options.ValidationSet): ");
        }

        [TestMethod]
        public void ImageSizeOptions_NegativeOrInconsistent_AreRejected_ChannelsAloneMeanSquareImages()
        {
            var rows = _mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new RawDigit { Label = (uint)(i % 2), Features = new float[784] }));
            var keyed = _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);
            InitCnnTransformer Fit(InitCnnTrainer.Options o) => _mlContext.MulticlassClassification.Trainers.InitCnn(o).Fit(keyed);

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(new() { NumberOfEpochs = 1, ImageChannels = 1, ImageHeight = -28, ImageWidth = -28 }));
            Assert.AreEqual("ImageHeight", e.ParamName);
            e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(new() { NumberOfEpochs = 1, ImageChannels = 3 }));
            StringAssert.Contains(e.Message, "784 values, which are not 3 square images");

            using var oneChannel = Fit(new() { NumberOfEpochs = 1, ImageChannels = 1 });   // 784 = 1 × 28 × 28
            Assert.AreEqual((1, 28, 28), (oneChannel.Model.ImageShape.Channels, oneChannel.Model.ImageShape.Height, oneChannel.Model.ImageShape.Width));
        }

        [TestMethod]
        public void AnEmptyValidationSet_IsRejected_NamingIt()
        {
            var train = _mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new RawDigit { Label = (uint)(i % 5), Features = new float[784] }));
            var keys = _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(train);
            var empty = keys.Transform(_mlContext.Data.LoadFromEnumerable(Array.Empty<RawDigit>()));
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, ValidationSet = empty };

            var e = Assert.ThrowsExactly<InvalidOperationException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(keys.Transform(train)));

            StringAssert.StartsWith(e.Message, "In the validation set (Options.ValidationSet): The data view has no rows");
        }

        [TestMethod]
        [DataRow(float.NaN)]
        [DataRow(float.PositiveInfinity)]
        [DataRow(float.NegativeInfinity)]
        public void NonFiniteFeature_IsRejected_NamingRowColumnAndSlot(float bad)
        {
            var rows = Digits(3);
            rows[1].Features[100] = bad;

            var e = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(rows));

            StringAssert.Contains(e.Message, "Row 1: feature column 'Features'");
            StringAssert.Contains(e.Message, "at slot 100");
            StringAssert.Contains(e.Message, "must be finite");
        }

        [TestMethod]
        public void EmptyDataView_IsRejected()
        {
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => Fit(Array.Empty<KeyedDigit>()));

            StringAssert.Contains(e.Message, "no rows");
        }

        [TestMethod]
        public void OneRowDataView_Trains()
        {
            using var model = Fit(Digits(1));

            Assert.AreEqual(1, model.Model.History.Count);
            Assert.IsTrue(double.IsFinite(model.Model.History[0].TrainingLoss));
        }

        [TestMethod]
        public void FeaturesOfUnknownSize_AreRejected()
        {
            var data = _mlContext.Data.LoadFromEnumerable(new[] { new VariableDigit { Label = 1, Features = new float[784] } });

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _mlContext.MulticlassClassification.Trainers.InitCnn().Fit(data));

            StringAssert.Contains(e.Message, "Feature column 'Features' is a vector of unknown size");
        }

        [TestMethod]
        public void FeaturesNotSingle_AreRejected()
        {
            var data = _mlContext.Data.LoadFromEnumerable(new[] { new DoubleDigit { Label = 1, Features = new double[784] } });

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _mlContext.MulticlassClassification.Trainers.InitCnn().Fit(data));

            StringAssert.Contains(e.Message, "expected a known-size vector of Single");
        }

        [TestMethod]
        public void LearningRateBeyondFloat32_IsRejected_NotALibtorchOverflowError()
        {
            var options = new InitCnnTrainer.Options { LearningRate = 1e300 };

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            Assert.AreEqual(nameof(options.LearningRate), e.ParamName);
            StringAssert.Contains(e.Message, "at most float32's largest");
        }

        [TestMethod]
        [DataRow(nameof(InitCnnTrainer.Options.NumberOfEpochs))]
        [DataRow(nameof(InitCnnTrainer.Options.BatchSize))]
        [DataRow(nameof(InitCnnTrainer.Options.LearningRate))]
        [DataRow(nameof(InitCnnTrainer.Options.Momentum))]
        public void BadOption_IsRejected_NamingIt(string option)
        {
            var options = new InitCnnTrainer.Options();
            switch (option)
            {
                case nameof(options.NumberOfEpochs): options.NumberOfEpochs = 0; break;
                case nameof(options.BatchSize): options.BatchSize = -1; break;
                case nameof(options.LearningRate): options.LearningRate = double.NaN; break;
                default: options.Momentum = 1.5; break;
            }

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            Assert.AreEqual(option, e.ParamName);
        }

        [TestMethod]
        [DataRow("NormalizationStd", 0f)]
        [DataRow("NormalizationStd", float.NaN)]
        [DataRow("NormalizationMean", float.PositiveInfinity)]
        [DataRow("ValidationBatchSize", 0f)]
        [DataRow("NumberOfThreads", -1f)]
        public void BadNormalizationOrSizes_AreRejected_NamingThem(string option, float value)
        {
            var options = new InitCnnTrainer.Options();
            switch (option)
            {
                case nameof(options.NormalizationStd): options.NormalizationStd = value; break;
                case nameof(options.NormalizationMean): options.NormalizationMean = value; break;
                case nameof(options.ValidationBatchSize): options.ValidationBatchSize = (int)value; break;
                default: options.NumberOfThreads = (int)value; break;
            }

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            Assert.AreEqual(option == nameof(options.NormalizationMean) ? nameof(options.NormalizationStd) : option, e.ParamName);
            StringAssert.Contains(e.Message, option);
        }

        [TestMethod]
        public void NullInitializer_IsRejected_NamingIt()
        {
            var options = new InitCnnTrainer.Options { BiasInitializer = null! };

            var e = Assert.ThrowsExactly<ArgumentNullException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            Assert.AreEqual(nameof(options.BiasInitializer), e.ParamName);
        }

        [TestMethod]
        public void ValidationSet_WithoutTheLabelColumn_IsRejected_SayingItIsTheValidationSet()
        {
            var validation = _mlContext.Data.LoadFromEnumerable(new[] { new UnlabelledDigit { Features = new float[784] } });
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, ValidationSet = validation };

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            StringAssert.StartsWith(e.Message, "In the validation set: The input has no label column 'Label'. Columns: 'Features'.");
        }

        [TestMethod]
        public void ValidationSet_WithOtherImages_IsRejected_ComparingBoth()
        {
            var validation = _mlContext.Data.LoadFromEnumerable(new[] { new SmallKeyedDigit { Label = 1, Features = new float[256] } });
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, ValidationSet = validation };

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            Assert.AreEqual(nameof(options.ValidationSet), e.ParamName);
            StringAssert.Contains(e.Message, "The validation set has images 1×16×16 with 10 classes; the training data has 1×28×28 with 10.");
        }

        [TestMethod]
        public void OverrideOfUnknownLayer_IsRejected_ListingTheLayers()
        {
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1 };
            options.LayerWeightInitializers["conv3"] = new Initializers.ZerosInitializer();

            var e = Assert.ThrowsExactly<ArgumentException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(_mlContext.Data.LoadFromEnumerable(Digits(2))));

            StringAssert.Contains(e.Message, "unknown layer 'conv3'");
            StringAssert.Contains(e.Message, "conv1, conv2, fc1, fc2");
        }

        private InitCnnTransformer Fit(KeyedDigit[] rows) =>
            _mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options { NumberOfEpochs = 1 })
                .Fit(_mlContext.Data.LoadFromEnumerable(rows));

        private static KeyedDigit[] Digits(int count) =>
            Enumerable.Range(0, count).Select(i => new KeyedDigit { Label = (uint)(i % 10), // LoadFromEnumerable stores key fields + 1
                 Features = Enumerable.Repeat(0.5f, 784).ToArray() }).ToArray();

        private sealed class KeyedDigit
        {
            [KeyType(10)]
            public uint Label { get; set; }

            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class UnlabelledDigit
        {
            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class SmallKeyedDigit
        {
            [KeyType(10)]
            public uint Label { get; set; }

            [VectorType(256)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class RawDigit
        {
            public uint Label { get; set; }

            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class VariableDigit
        {
            [KeyType(10)]
            public uint Label { get; set; }

            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class DoubleDigit
        {
            [KeyType(10)]
            public uint Label { get; set; }

            [VectorType(784)]
            public double[] Features { get; set; } = Array.Empty<double>();
        }
    }
}
