using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Tests.Interop
{
    /// <summary>
    /// PyTorch state dicts of the deep architectures (<c>mlp</c>, <c>plain_cnn</c>): a state dict written by the real
    /// PyTorch 1.13 (/usr/bin/python3, <c>deep_net.py</c>, whose modules are written from the documented layout)
    /// imports and scores as PyTorch's forward; our export loads into that module (strict <c>load_state_dict</c>) and
    /// gives our log-probabilities; files that do not fit the architecture are refused naming the tensor, the expected
    /// shape and the architecture.
    /// </summary>
    [TestClass]
    public sealed class PyTorchDeepStateDictTests
    {
        private const int Images = 32;
        private static string s_directory = null!;

        [ClassInitialize]
        public static void CreateDirectory(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-pt-deep-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
        }

        [ClassCleanup]
        public static void DeleteDirectory() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        [DataRow("mlp(depth=4, width=32, activation=tanh)", 0)]
        [DataRow("mlp(depth=5, width=16, activation=selu)", 0)]
        [DataRow("plain_cnn(depth=5, width=4, activation=relu)", 28)]
        [DataRow("plain_cnn(depth=3, width=6, activation=tanh)", 28)]
        public void AStateDictSavedByPyTorch_Imports_AndScoresAsPyTorchsForward(string text, int imageHeight)
        {
            RequirePyTorch();
            var architecture = NetworkArchitecture.Parse(text);
            string state = Path.Combine(s_directory, Guid.NewGuid().ToString("N") + ".pt");
            Python("make", state, "7", Arch(architecture));
            var mlContext = new MLContext(seed: 0);

            using var model = mlContext.Model.ImportInitCnn(state, new InitCnnImportOptions { Architecture = architecture, ImageHeight = imageHeight });

            Assert.AreEqual(architecture, model.Model.Architecture);
            Assert.AreEqual(ImageShape.Mnist, model.Model.ImageShape);
            var (raw, test) = TestImages(mlContext);
            var fromPyTorch = RunInPyTorch(state, architecture, Normalized(raw));
            AssertLogProbabilitiesClose(LogProbabilities(model.Model, raw), fromPyTorch, "our network's forward");
            // The transformer scores through ONNX Runtime: the graph built from the architecture, on raw features.
            var scores = model.Transform(test).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
            var probabilities = fromPyTorch.Select(MathF.Exp).ToArray();
            Assert.HasCount(probabilities.Length, scores);
            for (int i = 0; i < scores.Length; i++)
            {
                Assert.AreEqual(probabilities[i], scores[i], 1e-5f, $"Score {i} (image {i / 10}, class {i % 10})");
            }
        }

        [TestMethod]
        [DataRow("mlp(depth=4, width=32, activation=relu)")]
        [DataRow("plain_cnn(depth=5, width=4, activation=relu)")]
        public void ADeepModelTrainedHere_Exported_LoadsIntoPyTorch_WithTheSameLogProbabilities(string text)
        {
            RequirePyTorch();
            var architecture = NetworkArchitecture.Parse(text);
            var mlContext = new MLContext(seed: 0);
            var train = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Train), 600);
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = 1,
                    Architecture = architecture,
                    WeightInitializer = WeightInitializer.Parse("kaiming_normal"),
                    BiasInitializer = new ZerosInitializer(),
                })).Fit(train);
            var cnn = ((IEnumerable<ITransformer>)model).OfType<InitCnnTransformer>().Single();
            string state = Path.Combine(s_directory, Guid.NewGuid().ToString("N") + ".pt");

            cnn.Model.ExportStateDict(state);

            var (raw, _) = TestImages(mlContext);
            // deep_net.py loads with load_state_dict's strict default: a missing, extra or mis-shaped key fails there.
            AssertLogProbabilitiesClose(LogProbabilities(cnn.Model, raw), RunInPyTorch(state, architecture, Normalized(raw)), "PyTorch on our export");
        }

        [TestMethod]
        [DataRow("mlp(depth=6, width=12, activation=linear)", 0)]
        [DataRow("plain_cnn(depth=4, width=3, activation=relu)", 28)]
        public void ExportThenImport_DeepModel_GivesTheSameParameters_BitForBit(string text, int imageHeight)
        {
            var architecture = NetworkArchitecture.Parse(text);
            var parameters = StateDictFiles.Of(architecture, ImageShape.Mnist);
            var options = new InitCnnImportOptions { Architecture = architecture, ImageHeight = imageHeight };
            using var first = Import(StateDictFiles.Zip(parameters), options);
            string path = Path.Combine(s_directory, Guid.NewGuid().ToString("N") + ".pt");

            first.Model.ExportStateDict(path);
            using var second = new MLContext().Model.ImportInitCnn(path, options);

            var exported = second.Model.StateDict();
            CollectionAssert.AreEqual(parameters.Select(p => p.Name).ToArray(), exported.Keys.ToArray(), "names and their order");
            foreach (var p in parameters)
            {
                CollectionAssert.AreEqual(p.Shape, exported[p.Name].shape, p.Name);
                CollectionAssert.AreEqual(p.Values, exported[p.Name].data<float>().ToArray(), p.Name);
            }
            Assert.AreEqual("imported", second.Model.WeightInitializer);
        }

        [TestMethod]
        public void ABatchNormModelTrainedHere_ExportedAndImported_KeepsItsRunningStatistics_AndScoresTheSame()
        {
            var architecture = NetworkArchitecture.Parse("plain_cnn(depth=4, width=4, batch_norm=true)");
            var mlContext = new MLContext(seed: 0);
            var train = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Train), 600);
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options { NumberOfEpochs = 1, Architecture = architecture }))
                .Fit(train);
            var trained = ((IEnumerable<ITransformer>)model).OfType<InitCnnTransformer>().Single();
            string state = Path.Combine(s_directory, Guid.NewGuid().ToString("N") + ".pt");

            trained.Model.ExportStateDict(state);
            using var imported = mlContext.Model.ImportInitCnn(state, new InitCnnImportOptions { Architecture = architecture, ImageHeight = 28 });

            var before = trained.Model.StateDict();
            var after = imported.Model.StateDict();
            CollectionAssert.AreEqual(before.Keys.ToArray(), after.Keys.ToArray(), "names and their order, buffers included");
            CollectionAssert.Contains(after.Keys.ToArray(), "norms.0.running_var");
            foreach (var (name, tensor) in before)
            {
                Assert.IsTrue(tensor.eq(after[name]).all().item<bool>(), $"{name} changed in the export/import round trip");
            }
            Assert.IsFalse(after["norms.0.running_mean"].abs().sum().item<float>() == 0, "training moved the running mean, so the test compares real statistics");
            var (raw, _) = TestImages(mlContext);
            CollectionAssert.AreEqual(LogProbabilities(trained.Model, raw), LogProbabilities(imported.Model, raw), "eval-mode log-probabilities");
        }

        [TestMethod]
        public void AMisShapedTensor_IsRefused_NamingIt_TheExpectedShape_AndTheArchitecture()
        {
            var mlp = NetworkArchitecture.Parse("mlp(depth=3, width=16)");
            var parameters = StateDictFiles.Of(mlp, ImageShape.Mnist);
            parameters[2] = new StateDictParameter("layers.1.weight", new long[] { 16, 15 }, new float[16 * 15]);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(parameters), new InitCnnImportOptions { Architecture = mlp }));

            StringAssert.Contains(e.Message,
                "Parameter 'layers.1.weight' has shape [16, 15]; the network needs [16, 16] (mlp(depth=3, width=16, activation=relu) on 1 × 28 × 28 images, 10 classes)");

            var cnn = NetworkArchitecture.Parse("plain_cnn(depth=4, width=4)");
            parameters = StateDictFiles.Of(cnn, ImageShape.Mnist);
            parameters[2] = new StateDictParameter("layers.1.weight", new long[] { 8, 4, 5, 5 }, new float[8 * 4 * 25]);

            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(parameters), new InitCnnImportOptions { Architecture = cnn, ImageHeight = 28 }));

            StringAssert.Contains(e.Message,
                "Parameter 'layers.1.weight' has shape [8, 4, 5, 5]; the network needs [8, 4, 3, 3] (plain_cnn(depth=4, width=4, activation=relu, batch_norm=false) on 1 × 28 × 28 images, 10 classes)");
        }

        [TestMethod]
        public void AMissingOrExtraTensor_IsRefused_NamingIt_ItsShape_AndTheArchitecture()
        {
            var mlp = NetworkArchitecture.Parse("mlp(depth=3, width=16, activation=tanh)");
            var options = new InitCnnImportOptions { Architecture = mlp };
            var parameters = StateDictFiles.Of(mlp, ImageShape.Mnist);
            parameters.RemoveAt(3); // layers.1.bias

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(parameters), options));

            StringAssert.Contains(e.Message, "The weights do not fit the network mlp(depth=3, width=16, activation=tanh) on 1 × 28 × 28 images, 10 classes: missing layers.1.bias [16], unexpected none.");

            // A file of a deeper net than the options say: its extra layers are named.
            var deeper = StateDictFiles.Of(NetworkArchitecture.Parse("mlp(depth=4, width=16)"), ImageShape.Mnist);
            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(deeper), options));
            StringAssert.Contains(e.Message, "missing none, unexpected ");
            StringAssert.Contains(e.Message, "layers.3.weight [10, 16]");
            StringAssert.Contains(e.Message, "layers.3.bias [10]");

            // The first layer, which the image shape is read from.
            var cnn = NetworkArchitecture.Parse("plain_cnn(depth=4, width=4)");
            parameters = StateDictFiles.Of(cnn, ImageShape.Mnist);
            parameters.RemoveAt(0);
            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(parameters), new InitCnnImportOptions { Architecture = cnn, ImageHeight = 28 }));
            StringAssert.Contains(e.Message,
                "The state dict has no 4-D 'layers.0.weight' (expected shape [4, C, 3, 3]) for plain_cnn(depth=4, width=4, activation=relu, batch_norm=false): there is no such tensor.");

            // The seed net's file read as an MLP.
            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(StateDictFiles.MnistNet()), options));
            StringAssert.Contains(e.Message, "no 2-D 'layers.0.weight' (expected shape [16, C·H·W]) for mlp(depth=3, width=16, activation=tanh)");
            StringAssert.Contains(e.Message, "there is no such tensor. Found: ");
            StringAssert.Contains(e.Message, "conv1.weight");
        }

        [TestMethod]
        public void APlainCnnWithoutImageHeight_IsRefused_NamingTheOption()
        {
            var cnn = NetworkArchitecture.Parse("plain_cnn(depth=4, width=4)");
            var file = StateDictFiles.Zip(StateDictFiles.Of(cnn, ImageShape.Mnist));

            var e = Assert.ThrowsExactly<ParameterException>(() => Import(file, new InitCnnImportOptions { Architecture = cnn }));

            Assert.AreEqual("ImageHeight", e.ParamName);
            StringAssert.Contains(e.Message, "global average pooling, so its state dict does not fix the image size: set InitCnnImportOptions.ImageHeight");

            using var model = Import(file, new InitCnnImportOptions { Architecture = cnn, ImageHeight = 20, ImageWidth = 24 });
            Assert.AreEqual(new ImageShape(1, 20, 24, 10), model.Model.ImageShape);
        }

        [TestMethod]
        public void AnMlpWhoseInputsAreNotASquare_NeedsImageHeight_AndTakesItsChannelsFromIt()
        {
            var mlp = NetworkArchitecture.Parse("mlp(depth=3, width=8)");
            var file = StateDictFiles.Zip(StateDictFiles.Of(mlp, new ImageShape(3, 16, 20, 4)));

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(file, new InitCnnImportOptions { Architecture = mlp }));
            StringAssert.Contains(e.Message, "layers.0.weight has 960 inputs (C·H·W), not a square number for 1-channel square images: give ImageHeight and ImageWidth");

            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(file, new InitCnnImportOptions { Architecture = mlp, ImageHeight = 28 }));
            StringAssert.Contains(e.Message, "layers.0.weight has 960 inputs (C·H·W), not a multiple of ImageHeight × ImageWidth = 28 × 28");

            using var model = Import(file, new InitCnnImportOptions { Architecture = mlp, ImageHeight = 16, ImageWidth = 20 });
            Assert.AreEqual(new ImageShape(3, 16, 20, 4), model.Model.ImageShape);
        }

        [TestMethod]
        public void TheDefaultArchitecture_IsTheSeedNet_AndANullOneIsRefused()
        {
            var parameters = StateDictFiles.MnistNet();

            using var model = Import(StateDictFiles.Zip(parameters), new InitCnnImportOptions());

            Assert.AreEqual(NetworkArchitecture.MnistNet, new InitCnnImportOptions().Architecture);
            Assert.AreEqual(NetworkArchitecture.MnistNet, model.Model.Architecture);
            Assert.AreEqual(NetworkArchitecture.MnistNet, model.Model.Settings.Architecture);
            Assert.ThrowsExactly<ArgumentNullException>(() => Import(StateDictFiles.Zip(parameters), new InitCnnImportOptions { Architecture = null! }));
        }

        private static InitCnnTransformer Import(byte[] file, InitCnnImportOptions options)
        {
            using var stream = new MemoryStream(file, writable: false);
            return new MLContext().Model.ImportInitCnn(stream, options);
        }

        /// <summary>The first <see cref="Images"/> test images of the bundled sample: raw [0, 1] pixels and the view.</summary>
        private static (float[] Raw, IDataView View) TestImages(MLContext mlContext)
        {
            var test = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Test), Images);
            var raw = mlContext.Data.CreateEnumerable<DigitRow>(test, reuseRowObject: false).SelectMany(r => r.Features).ToArray();
            Assert.HasCount(Images * 784, raw);
            return (raw, test);
        }

        private static float[] Normalized(float[] raw) =>
            raw.Select(v => (v - InitCnnTrainer.Defaults.NormalizationMean) / InitCnnTrainer.Defaults.NormalizationStd).ToArray();

        private static float[] LogProbabilities(InitCnnModelParameters model, float[] raw)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var shape = model.ImageShape;
            var x = tensor(Normalized(raw), new long[] { Images, shape.Channels, shape.Height, shape.Width });
            return model.Network.forward(x).data<float>().ToArray();
        }

        /// <summary>Two libtorch builds (1.13 and 2.10) sum in other orders: float32 rounding apart, 1e-5 relative to
        /// the log-probability's size (at least 1).</summary>
        private static void AssertLogProbabilitiesClose(float[] ours, float[] theirs, string what)
        {
            Assert.HasCount(theirs.Length, ours, what);
            for (int i = 0; i < ours.Length; i++)
            {
                Assert.AreEqual(theirs[i], ours[i], 1e-5f * Math.Max(1f, Math.Abs(theirs[i])), $"{what}: value {i} (image {i / 10}, class {i % 10})");
            }
            // Not a constant: the logits differ (the comparison would be empty for a net predicting the uniform distribution).
            Assert.IsGreaterThan(0.1f, theirs.Max() - theirs.Min(), $"{what}: log-probabilities span {theirs.Max() - theirs.Min()}");
        }

        /// <summary>deep_net.py's ARCH arguments: KIND DEPTH WIDTH ACT C H W K (MNIST images).</summary>
        private static string[] Arch(NetworkArchitecture a)
        {
            string kind = a.Kind == ArchitectureKind.Mlp ? "mlp" : "plain_cnn";
            return new[] { kind, a.Depth.ToString(CultureInfo.InvariantCulture), a.Width.ToString(CultureInfo.InvariantCulture), NetworkArchitecture.NameOf(a.Activation), "1", "28", "28", "10" };
        }

        private static float[] RunInPyTorch(string state, NetworkArchitecture architecture, float[] images)
        {
            string input = Path.Combine(s_directory, Guid.NewGuid().ToString("N") + ".f32");
            string output = input + ".out";
            File.WriteAllBytes(input, MemoryMarshal.AsBytes(images.AsSpan()).ToArray());
            Python(new[] { "run", state, input, Images.ToString(CultureInfo.InvariantCulture), output }.Concat(Arch(architecture)).ToArray());
            return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(output)).ToArray();
        }

        private static void RequirePyTorch()
        {
            if (!File.Exists("/usr/bin/python3") || Run("/usr/bin/python3", "-c", "import torch, numpy").ExitCode != 0)
            {
                Assert.Inconclusive("/usr/bin/python3 cannot import torch and numpy: install Debian's python3-torch.");
            }
        }

        private static void Python(string command, string state, string seed, string[] arch) =>
            Python(new[] { command, state, seed }.Concat(arch).ToArray());

        private static void Python(string[] arguments)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Interop", "deep_net.py");
            var result = Run("/usr/bin/python3", new[] { script }.Concat(arguments).ToArray());
            Assert.AreEqual(0, result.ExitCode, $"deep_net.py {string.Join(' ', arguments)} failed:\n{result.Output}");
        }

        private static (int ExitCode, string Output) Run(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
    }
}
