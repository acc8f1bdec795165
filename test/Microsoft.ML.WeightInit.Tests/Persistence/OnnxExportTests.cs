using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

using static Microsoft.ML.WeightInit.Tests.ChildProcess;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>
    /// <c>ExportOnnx</c>: the .onnx file, run by ONNX Runtime's InferenceSession directly, scores as the fitted
    /// transformer; its metadata carries what LoadInitCnn needs; PyTorch 1.13 running the same weights (the state dict)
    /// agrees within 1e-5.
    /// </summary>
    [TestClass]
    public sealed class OnnxExportTests
    {
        private const int Images = 32;

        [TestMethod]
        public void TheExportedOnnx_RunByInferenceSession_ScoresAsTheTransformer()
        {
            var (pixels, expected) = TransformerScores();
            using var stream = new MemoryStream();
            SampleModel.Cnn.Model.ExportOnnx(stream);
            using var session = new InferenceSession(stream.ToArray());

            Assert.AreEqual("Features", session.InputMetadata.Keys.Single());
            CollectionAssert.AreEqual(new[] { "Score", "PredictedIndex" }, session.OutputMetadata.Keys.ToArray());
            for (int i = 0; i < Images; i++)
            {
                var (score, index) = Run(session, pixels.Skip(i).Take(1).ToArray());
                CollectionAssert.AreEqual(expected[i], score, $"image {i} alone: not bit-identical");
                Assert.AreEqual(Array.IndexOf(expected[i], expected[i].Max()), (int)index[0], $"image {i}");
            }
            var (batch, indices) = Run(session, pixels);
            for (int i = 0; i < Images; i++)
            {
                for (int k = 0; k < 10; k++)
                {
                    Assert.AreEqual(expected[i][k], batch[i * 10 + k], 1e-6f, $"image {i} in a batch of {Images}, class {k}");
                }
                Assert.AreEqual(Array.IndexOf(expected[i], expected[i].Max()), (int)indices[i]);
            }
        }

        [TestMethod]
        public void TheExportedOnnx_CarriesFormatShapeLabelsNormalizationSettingsPlanAndHistory()
        {
            var model = SampleModel.Cnn.Model;
            using var stream = new MemoryStream();
            model.ExportOnnx(stream);
            var onnx = Onnx.ModelProto.Parser.ParseFrom(stream.ToArray());
            var props = onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

            Assert.AreEqual(13, onnx.OpsetImport.Single().Version);
            Assert.AreEqual("Microsoft.ML.WeightInit/InitCnn", props["initcnn.format"]);
            Assert.AreEqual("2", props["initcnn.format_version"]);
            Assert.AreEqual("{\"channels\":1,\"height\":28,\"width\":28,\"classes\":10}", props["initcnn.image"]);
            StringAssert.Contains(props["initcnn.label_key_values"], "\"type\":\"UInt32\",\"values\":[\"0\",\"1\",\"2\"");
            var normalization = JsonDocument.Parse(props["initcnn.normalization"]).RootElement;
            Assert.AreEqual(model.NormalizationMean, normalization.GetProperty("mean").GetSingle());
            Assert.AreEqual(model.Initialization, props["initcnn.initialization_plan"]);
            var history = JsonDocument.Parse(props["initcnn.history"]).RootElement;
            Assert.AreEqual(model.History.Count, history.GetArrayLength());
            Assert.AreEqual(model.History[0].TrainingLoss, history[0].GetProperty("trainingLoss").GetDouble());
            StringAssert.Contains(props["initcnn.training"], "\"numberOfEpochs\":1");

            var contents = OnnxModelReader.Read(stream.ToArray(), "export.onnx");
            Assert.IsFalse(contents.ForMLNet);
            Assert.AreEqual(model.ImageShape, contents.Shape);
        }

        [TestMethod]
        public void ExportOnnx_ToAFile_WritesWhatTheStreamGets_AndADisposedModelRefuses()
        {
            string path = Path.Combine(Path.GetTempPath(), "weightinit-export-" + Guid.NewGuid().ToString("N") + ".onnx");
            try
            {
                SampleModel.Cnn.Model.ExportOnnx(path);
                using var stream = new MemoryStream();
                SampleModel.Cnn.Model.ExportOnnx(stream);
                CollectionAssert.AreEqual(stream.ToArray(), File.ReadAllBytes(path));
            }
            finally
            {
                File.Delete(path);
            }
            var imported = new MLContext().Model.ImportInitCnn(new MemoryStream(Interop.StateDictFiles.Zip(Interop.StateDictFiles.MnistNet())));
            imported.Dispose();
            Assert.ThrowsExactly<ObjectDisposedException>(() => imported.Model.ExportOnnx(new MemoryStream()));
        }

        [TestMethod]
        public void PyTorch_RunningTheStateDict_AgreesWithTheOnnxScores_Within1e5()
        {
            RequirePyTorch();
            var model = SampleModel.Cnn.Model;
            var (pixels, expected) = TransformerScores();
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-onnx-torch-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                string state = Path.Combine(directory, "net.pt"), input = Path.Combine(directory, "x.f32"), output = Path.Combine(directory, "y.f32");
                model.ExportStateDict(state);
                var normalized = pixels.SelectMany(p => p.Select(v => (v - model.NormalizationMean) / model.NormalizationStd)).ToArray();
                File.WriteAllBytes(input, System.Runtime.InteropServices.MemoryMarshal.AsBytes(normalized.AsSpan()).ToArray());
                string script = Path.Combine(AppContext.BaseDirectory, "Interop", "seed_net.py");
                var result = ChildProcess.Run("/usr/bin/python3", script, "run", state, input, Images.ToString(System.Globalization.CultureInfo.InvariantCulture), output);
                Assert.AreEqual(0, result.ExitCode, result.Output);
                var logProbabilities = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(output)).ToArray();
                double worst = 0;
                for (int i = 0; i < Images; i++)
                {
                    for (int k = 0; k < 10; k++)
                    {
                        worst = Math.Max(worst, Math.Abs(Math.Exp(logProbabilities[i * 10 + k]) - expected[i][k]));
                    }
                }
                Assert.IsLessThan(1e-5, worst, $"largest |PyTorch − ONNX| probability difference {worst:E2}");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        /// <summary>The first test images and the fitted transformer's scores for them.</summary>
        internal static (float[][] Pixels, float[][] Scores) TransformerScores()
        {
            var mlContext = SampleModel.MLContext;
            var rows = mlContext.Data.CreateEnumerable<DigitRow>(SampleModel.Test, false).Take(Images).ToList();
            var scored = SampleModel.Model.Transform(mlContext.Data.LoadFromEnumerable(rows));
            return (rows.Select(r => r.Features).ToArray(), scored.GetColumn<float[]>("Score").ToArray());
        }

        private static (float[] Scores, long[] Indices) Run(InferenceSession session, float[][] pixels)
        {
            var input = new DenseTensor<float>(pixels.SelectMany(p => p).ToArray(), new[] { pixels.Length, pixels[0].Length });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", input) });
            var list = results.ToList();
            return (list.Single(r => r.Name == "Score").AsEnumerable<float>().ToArray(), list.Single(r => r.Name == "PredictedIndex").AsEnumerable<long>().ToArray());
        }
    }
}
