using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>
    /// A model zip written by format version 2 (ONNX; committed under Fixtures, with the scores it gave) keeps loading
    /// and scoring the same; the version-1 fixture (release 0.1.0's base64 blob) is refused with what to do. The fixture is a 1 × 16 × 16, 10-class model (56k parameters, 0.2 MB) trained briefly on
    /// synthetic rows: the format matters here, not the accuracy. For a new format version, add its tests, set
    /// WEIGHTINIT_WRITE_FIXTURE=&lt;version&gt; and run them once: a missing fixture of that version is written (the
    /// run says inconclusive); commit the two files. An existing fixture is never rewritten.
    /// </summary>
    [TestClass]
    public sealed class FormatFixtureTests
    {
        private const int Side = 16;
        private const int Rows = 8;

        [TestMethod]
        public void Version2Zip_LoadsWithPlainMLNet_AndScoresAsWhenWritten() =>
            CheckFixture(2, (mlContext, path) => mlContext.Model.Load(path, out _));

        [TestMethod]
        public void Version2Zip_LoadsAsInitCnn_WithItsMetadata()
        {
            var mlContext = new MLContext();
            var model = mlContext.Model.LoadInitCnn(FixturePath(2, "zip"), out var schema);
            var cnn = model.GetInitCnn();

            Assert.AreEqual(new WeightInit.Networks.ImageShape(1, Side, Side, 10), cnn.Model.ImageShape);
            Assert.AreEqual("kaiming_uniform(a=0, mode=fan_in, nonlinearity=relu)", cnn.Model.WeightInitializer);
            Assert.AreEqual(1, cnn.Model.History.Count);
            Assert.AreEqual(Side * Side, ((VectorDataViewType)schema["Features"].Type).Size);
            CheckFixture(2, (c, path) => c.Model.LoadInitCnn(path, out _));
        }

        [TestMethod]
        public void Version1Zip_IsRejected_NamingTheVersionAndWhatToDo()
        {
            string path = FixturePath(1, "zip");

            var e = Assert.ThrowsExactly<NotSupportedException>(() => new MLContext().Model.LoadInitCnn(path, out _));

            StringAssert.Contains(e.Message, $"Model file '{path}' holds an InitCnn model in format version 1");
            StringAssert.Contains(e.Message, "reads format version 2");
            StringAssert.Contains(e.Message, "ExportStateDict");
        }

        [TestMethod]
        [DataRow(4, "Update the Microsoft.ML.WeightInit package")]
        [DataRow(1, "format version 1")]
        public void AnOnnxModelOfAnotherFormatVersion_IsRejected_SayingWhatToDo(int version, string expected)
        {
            var onnx = OnnxOf(FixturePath(2, "zip"));
            onnx.MetadataProps.Single(p => p.Key == OnnxFormat.FormatVersionKey).Value = version.ToString(System.Globalization.CultureInfo.InvariantCulture);

            var e = Assert.ThrowsExactly<NotSupportedException>(() => OnnxModelReader.Read(Google.Protobuf.MessageExtensions.ToByteArray(onnx), "model.onnx"));

            StringAssert.Contains(e.Message, "model.onnx holds an InitCnn model in format version " + version);
            StringAssert.Contains(e.Message, expected);
        }

        /// <summary>The ONNX model inside a version-2 zip (entry OnnxModel, after its length prefix).</summary>
        internal static Onnx.ModelProto OnnxOf(string zip)
        {
            using var archive = System.IO.Compression.ZipFile.OpenRead(zip);
            var entry = archive.Entries.Single(e => e.Name == "OnnxModel");
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Onnx.ModelProto.Parser.ParseFrom(copy.ToArray().AsSpan(4).ToArray());
        }

        private static void CheckFixture(int version, Func<MLContext, string, ITransformer> load)
        {
            if (!File.Exists(FixturePath(version, "zip")))
            {
                string? asked = Environment.GetEnvironmentVariable("WEIGHTINIT_WRITE_FIXTURE");
                if (asked == version.ToString(System.Globalization.CultureInfo.InvariantCulture) && version == OnnxFormat.Version)
                {
                    WriteFixture(version);
                }
                Assert.Fail($"The format {version} fixture is missing; write it with WEIGHTINIT_WRITE_FIXTURE={version} (current format only).");
            }
            var mlContext = new MLContext();
            var model = load(mlContext, FixturePath(version, "zip"));
            var expected = JsonSerializer.Deserialize<Expected>(File.ReadAllText(FixturePath(version, "expected.json")))!;

            var actual = Score(mlContext, model);

            CollectionAssert.AreEqual(expected.Labels, actual.Labels);
            for (int i = 0; i < Rows; i++)
            {
                for (int k = 0; k < 10; k++)
                {
                    // Same weights and code: equal here; 1e-6 leaves room for another CPU's convolution kernels.
                    Assert.AreEqual(expected.Scores[i][k], actual.Scores[i][k], 1e-6f, $"row {i}, class {k}");
                }
            }
        }

        /// <summary>Writes the fixture of the current format version (only when asked, only if it is missing).</summary>
        private static void WriteFixture(int version)
        {
            var mlContext = new MLContext(seed: 0);
            var rows = Enumerable.Range(0, 400).Select(i => new SmallDigit { Label = (uint)(i % 10), Features = Pixels(i, i % 10) }).ToList();
            var data = mlContext.Data.LoadFromEnumerable(rows);
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = 1,
                    BatchSize = 20,
                    WeightInitializer = Initializers.WeightInitializer.Parse("kaiming_uniform(nonlinearity=relu)"),
                }))
                .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
                .Fit(data);
            string directory = Path.Combine(SourceDirectory(), "Persistence", "Fixtures");
            mlContext.Model.Save(model, data.Schema, Path.Combine(directory, $"initcnn-format{version}.zip"));
            var expected = Score(mlContext, model);
            File.WriteAllText(Path.Combine(directory, $"initcnn-format{version}.expected.json"), JsonSerializer.Serialize(expected));
            Assert.Inconclusive($"Wrote the format {version} fixture to {directory}: commit it.");
        }

        private static Expected Score(MLContext mlContext, ITransformer model)
        {
            var inputs = Enumerable.Range(0, Rows).Select(i => new SmallDigit { Label = 0, Features = Pixels(1000 + i, i % 10) });
            var predictions = mlContext.Data.CreateEnumerable<Prediction>(model.Transform(mlContext.Data.LoadFromEnumerable(inputs)), false).ToList();
            return new Expected
            {
                Labels = predictions.Select(p => p.PredictedLabel).ToArray(),
                Scores = predictions.Select(p => p.Score).ToArray(),
            };
        }

        /// <summary>A synthetic 16 × 16 image: a bar whose position encodes the class, plus a deterministic pattern.</summary>
        private static float[] Pixels(int seed, int label)
        {
            var pixels = new float[Side * Side];
            for (int j = 0; j < pixels.Length; j++)
            {
                int row = j / Side;
                pixels[j] = row == label + 3 ? 1f : ((seed * 31 + j * 17) % 97) / 970f;
            }
            return pixels;
        }

        private static string FixturePath(int version, string extension) =>
            Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", $"initcnn-format{version}.{extension}");

        private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
            Path.GetDirectoryName(Path.GetDirectoryName(path))!;

        private sealed class SmallDigit
        {
            public uint Label { get; set; }

            [VectorType(Side * Side)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class Prediction
        {
            public uint PredictedLabel { get; set; }

            public float[] Score { get; set; } = Array.Empty<float>();
        }

        private sealed class Expected
        {
            public uint[] Labels { get; set; } = Array.Empty<uint>();

            public float[][] Scores { get; set; } = Array.Empty<float[]>();
        }
    }
}
