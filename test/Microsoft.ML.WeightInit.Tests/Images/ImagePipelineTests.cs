using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Examples.Images;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Images
{
    /// <summary>
    /// PNG files on disk → LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels → InitCnn, with real MNIST
    /// digits of the bundled sample written as PNGs.
    /// </summary>
    [TestClass]
    public sealed class ImagePipelineTests
    {
        private static string s_directory = null!;
        private static MLContext s_mlContext = null!;
        private static IDataView s_train = null!;
        private static IDataView s_test = null!;

        [ClassInitialize]
        public static void WritePngs(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-png-" + Guid.NewGuid().ToString("N"));
            s_mlContext = new MLContext(seed: 0);
            s_train = s_mlContext.Data.LoadFromEnumerable(DigitPngWriter.Write(s_mlContext, s_mlContext.Data.LoadMnistSample(MnistSplit.Train), Path.Combine(s_directory, "train"), 3000));
            s_test = s_mlContext.Data.LoadFromEnumerable(DigitPngWriter.Write(s_mlContext, s_mlContext.Data.LoadMnistSample(MnistSplit.Test), Path.Combine(s_directory, "test"), 200));
        }

        [ClassCleanup]
        public static void Delete() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        public void GrayPixels_Are1x28x28_AndEqualTheMnistFeatures()
        {
            var pixels = Pixels(Path.Combine(s_directory, "test")).Fit(s_test).Transform(s_test);
            var type = (VectorDataViewType)pixels.Schema["Features"].Type;
            var fromPng = pixels.GetColumn<float[]>("Features").Take(50).ToList();
            var fromIdx = s_mlContext.Data.CreateEnumerable<DigitRow>(s_mlContext.Data.LoadMnistSample(MnistSplit.Test), false).Take(50).ToList();

            CollectionAssert.AreEqual(new[] { 1, 28, 28 }, type.Dimensions.ToArray());
            for (int i = 0; i < fromPng.Count; i++)
            {
                for (int p = 0; p < 784; p++)
                {
                    // PNG bytes are pixel/255 rounded; the grayscale conversion may move a byte by one.
                    Assert.AreEqual(fromIdx[i].Features[p], fromPng[i][p], 1.5f / 255, $"image {i}, pixel {p}");
                }
            }
        }

        [TestMethod]
        public void PipelineFromPngs_Trains_SavesAndPredictsFromAPathAfterPlainLoading()
        {
            var pipeline = Pixels(Path.Combine(s_directory, "train"))
                .Append(s_mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
                .Append(s_mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1))
                .Append(s_mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            var model = pipeline.Fit(s_train);
            string zip = Path.Combine(s_directory, "png-model.zip");
            s_mlContext.Model.Save(model, s_train.Schema, zip);

            var mlContext = new MLContext();
            var loaded = mlContext.Model.Load(zip, out _);
            var engine = mlContext.Model.CreatePredictionEngine<DigitFile, DigitPrediction>(loaded);
            var original = s_mlContext.Model.CreatePredictionEngine<DigitFile, DigitPrediction>(model);
            // The image folder was saved with LoadImages: test files are given by path relative to it.
            var tests = s_mlContext.Data.CreateEnumerable<DigitFile>(s_test, false)
                .Select(r => new DigitFile { ImagePath = Path.Combine("..", "test", r.ImagePath), Label = r.Label }).ToList();
            int correct = 0;
            foreach (var row in tests)
            {
                var prediction = engine.Predict(row);
                var expected = original.Predict(row);
                CollectionAssert.AreEqual(expected.Score, prediction.Score);
                correct += prediction.PredictedLabel == row.Label ? 1 : 0;
            }

            // One epoch on 3,000 images gives about 0.8; an image path that broke the features stays near 0.1.
            Assert.IsTrue(correct >= 0.6 * tests.Count, $"{correct} of {tests.Count} correct");
        }

        [TestMethod]
        public void ColorImagesResized_Train3ChannelNetwork_OfTheGivenSize()
        {
            var rows = s_mlContext.Data.TakeRows(s_train, 200);
            var pipeline = s_mlContext.Transforms.LoadImages("Image", Path.Combine(s_directory, "train"), nameof(DigitFile.ImagePath))
                .Append(s_mlContext.Transforms.ResizeImages("Image", imageWidth: 32, imageHeight: 24))
                .Append(s_mlContext.Transforms.ExtractPixels("Features", "Image", scaleImage: 1 / 255f))
                .Append(s_mlContext.Transforms.Conversion.MapValueToKey("Label"))
                .Append(s_mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1));

            var model = pipeline.Fit(rows);
            var cnn = ((IEnumerable<ITransformer>)model).OfType<InitCnnTransformer>().Single();

            Assert.AreEqual(new WeightInit.Networks.ImageShape(3, 24, 32, 10), cnn.Model.ImageShape);
            var scored = model.Transform(rows);
            Assert.AreEqual(200, scored.GetColumn<float[]>("Score").Count(s => Math.Abs(s.Sum() - 1) < 1e-4));
        }

        [TestMethod]
        public void FeaturesWithoutDimensions_TakeTheImageSizeFromTheOptions()
        {
            // A flat vector (here from Concatenate) has no dimensions: the options give the image size.
            var rows = s_mlContext.Data.TakeRows(s_train, 100);
            var pipeline = Pixels(Path.Combine(s_directory, "train"))
                .Append(s_mlContext.Transforms.Concatenate("Flat", "Features"))
                .Append(s_mlContext.Transforms.Conversion.MapValueToKey("Label"))
                .Append(s_mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = 1, FeatureColumnName = "Flat", ImageChannels = 1, ImageHeight = 28, ImageWidth = 28,
                }));

            var cnn = ((IEnumerable<ITransformer>)pipeline.Fit(rows)).OfType<InitCnnTransformer>().Single();

            Assert.AreEqual(new WeightInit.Networks.ImageShape(1, 28, 28, 10), cnn.Model.ImageShape);
        }

        private static IEstimator<ITransformer> Pixels(string folder) =>
            s_mlContext.Transforms.LoadImages("Image", folder, nameof(DigitFile.ImagePath))
                .Append(s_mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
                .Append(s_mlContext.Transforms.ConvertToGrayscale("Image"))
                .Append(s_mlContext.Transforms.ExtractPixels("Features", "Image",
                    colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f));
    }
}
