using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>
    /// A model of a deep architecture trains through the catalog, saves to a model zip and exports to ONNX with its
    /// architecture, and loads back: ONNX scoring (the transformer, the loaded zip, the exported file) equals the
    /// in-memory network's scoring. The seed net's format stays version 2 without an architecture entry.
    /// </summary>
    [TestClass]
    public sealed class ArchitecturePersistenceTests
    {
        private const int Images = 16;

        [TestMethod]
        [DataRow("mlp(depth=4, width=32, activation=tanh)")]
        [DataRow("plain_cnn(depth=4, width=4, activation=relu)")]
        [DataRow("plain_cnn(depth=4, width=4, activation=relu, batch_norm=true)")]
        [DataRow("mlp(depth=3, width=16, activation=selu)")]
        [DataRow("resnet(blocks=3, width=4)")]
        [DataRow("resnet(blocks=3, width=4, batch_norm=true)")]
        public void DeepModel_SavedAndLoaded_ScoresAsTheInMemoryNetwork(string text)
        {
            var architecture = NetworkArchitecture.Parse(text);
            var mlContext = new MLContext(seed: 0);
            var train = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Train), 600);
            var test = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Test), Images);
            var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = 1,
                    Architecture = architecture,
                    WeightInitializer = WeightInitializer.Parse("kaiming_normal"),
                    BiasInitializer = new ZerosInitializer(),
                }));
            var model = pipeline.Fit(train);
            var cnn = ((IEnumerable<ITransformer>)model).OfType<InitCnnTransformer>().Single();
            Assert.AreEqual(architecture, cnn.Model.Architecture);
            Assert.AreEqual(architecture, cnn.Model.Settings.Architecture);

            var pixels = mlContext.Data.CreateEnumerable<Row>(test, reuseRowObject: false).SelectMany(r => r.Features).ToArray();
            var memory = InMemoryScores(cnn.Model, pixels);
            var scored = Scores(model.Transform(test));
            AssertClose(memory, scored, "transformer (ONNX Runtime) vs in-memory network");

            string zip = Path.Combine(Path.GetTempPath(), $"arch-{Guid.NewGuid():N}.zip");
            try
            {
                mlContext.Model.Save(model, train.Schema, zip);
                var loaded = mlContext.Model.LoadInitCnn(zip, out _);
                var restored = ((IEnumerable<ITransformer>)loaded).OfType<InitCnnTransformer>().Single();
                Assert.AreEqual(architecture, restored.Model.Architecture);
                Assert.AreEqual(cnn.Model.Initialization, restored.Model.Initialization);
                AssertClose(memory, Scores(loaded.Transform(test)), "LoadInitCnn zip vs in-memory network");
                AssertClose(memory, InMemoryScores(restored.Model, pixels), "restored network in memory vs trained network");
                var plain = mlContext.Model.Load(zip, out _);
                AssertClose(memory, Scores(plain.Transform(test)), "plain Model.Load zip vs in-memory network");
            }
            finally
            {
                File.Delete(zip);
            }

            using var stream = new MemoryStream();
            cnn.Model.ExportOnnx(stream);
            var onnx = Onnx.ModelProto.Parser.ParseFrom(stream.ToArray());
            var props = onnx.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.AreEqual("3", props["initcnn.format_version"]);
            Assert.AreEqual(architecture.TextForm, props["initcnn.architecture"]);
            Assert.AreEqual(architecture, OnnxModelReader.Read(stream.ToArray(), "export.onnx").Architecture);
            using var session = new InferenceSession(stream.ToArray());
            var input = new DenseTensor<float>(pixels, new[] { Images, 784 });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", input) });
            var exported = results.First(r => r.Name == "Score").AsEnumerable<float>().ToArray();
            AssertClose(memory, exported, "exported .onnx in InferenceSession vs in-memory network");
        }

        [TestMethod]
        public void ADeepModelsArchitectureEntry_EditedOrRemoved_IsRefused()
        {
            var mlContext = new MLContext(seed: 0);
            var train = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Train), 200);
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = 1,
                    Architecture = NetworkArchitecture.Parse("mlp(depth=3, width=8)"),
                })).Fit(train);
            var cnn = ((IEnumerable<ITransformer>)model).OfType<InitCnnTransformer>().Single();
            using var stream = new MemoryStream();
            cnn.Model.ExportOnnx(stream);

            byte[] Edited(Action<Onnx.ModelProto> edit)
            {
                var proto = Onnx.ModelProto.Parser.ParseFrom(stream.ToArray());
                edit(proto);
                return Google.Protobuf.MessageExtensions.ToByteArray(proto);
            }

            var deeper = Edited(p => p.MetadataProps.Single(e => e.Key == "initcnn.architecture").Value = "mlp(depth=4, width=8)");
            Assert.ThrowsExactly<InvalidDataException>(() => OnnxModelReader.Read(deeper, "deeper.onnx"));
            var garbage = Edited(p => p.MetadataProps.Single(e => e.Key == "initcnn.architecture").Value = "mlp(depth=-3)");
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => OnnxModelReader.Read(garbage, "garbage.onnx")).Message, "depth");
            var missing = Edited(p => p.MetadataProps.Remove(p.MetadataProps.Single(e => e.Key == "initcnn.architecture")));
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => OnnxModelReader.Read(missing, "missing.onnx")).Message, "initcnn.architecture");
        }

        [TestMethod]
        public void TheSeedNetsExport_StaysFormatVersion2_WithoutAnArchitectureEntry()
        {
            using var stream = new MemoryStream();
            SampleModel.Cnn.Model.ExportOnnx(stream);
            var props = Onnx.ModelProto.Parser.ParseFrom(stream.ToArray()).MetadataProps.ToDictionary(p => p.Key, p => p.Value);

            Assert.AreEqual("2", props["initcnn.format_version"]);
            Assert.IsFalse(props.ContainsKey("initcnn.architecture"));
            Assert.AreSame(NetworkArchitecture.MnistNet, SampleModel.Cnn.Model.Architecture);
        }

        private static float[] InMemoryScores(InitCnnModelParameters model, float[] pixels)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var shape = model.ImageShape;
            var x = (tensor(pixels, new long[] { pixels.Length / shape.FeatureCount, shape.Channels, shape.Height, shape.Width }) - model.NormalizationMean) / model.NormalizationStd;
            return model.Network.forward(x).exp().data<float>().ToArray();
        }

        private static float[] Scores(IDataView scored) =>
            scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray();

        private static void AssertClose(float[] expected, float[] actual, string what)
        {
            Assert.AreEqual(expected.Length, actual.Length, what);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[i], 1e-5f, $"{what}: value {i}");
            }
        }

        private sealed class Row
        {
            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
