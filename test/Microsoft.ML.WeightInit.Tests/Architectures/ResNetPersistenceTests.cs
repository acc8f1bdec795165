using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>
    /// A <c>resnet</c> model trained and saved by another process (<c>weightinit train --arch resnet(…) --save-model
    /// --export-onnx</c>) loads here: the zip restores the architecture and the network, and ONNX Runtime's scores (the
    /// zip through LoadInitCnn and through plain Model.Load, the exported .onnx in an InferenceSession) equal the restored
    /// network's own forward pass, residual additions included.
    /// </summary>
    [TestClass]
    public sealed class ResNetPersistenceTests
    {
        private const int Images = 16;

        [TestMethod]
        [DataRow("resnet(blocks=3, width=4)")]
        [DataRow("resnet(blocks=3, width=4, batch_norm=true)")]
        public void AResNetSavedByTheCliInAnotherProcess_LoadsHere_AndItsOnnxScoresAsItsNetwork(string text)
        {
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-resnet-zip-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                string zip = Path.Combine(directory, "resnet.zip");
                string onnx = Path.Combine(directory, "resnet.onnx");
                var architecture = NetworkArchitecture.Parse(text);
                var (exitCode, output) = Cli("train", "--sample", "--arch", text, "--epochs", "1", "-i", "kaiming_normal",
                    "--save-model", zip, "--export-onnx", onnx);
                Assert.AreEqual(0, exitCode, output);
                StringAssert.Contains(output, architecture.TextForm);

                var mlContext = new MLContext(seed: 0);
                var loaded = mlContext.Model.LoadInitCnn(zip, out _);
                var model = loaded.GetInitCnn().Model;
                Assert.AreEqual(architecture, model.Architecture);
                Assert.AreEqual(1, model.History.Count);
                StringAssert.StartsWith(model.WeightInitializer, "kaiming_normal");

                var test = mlContext.Data.TakeRows(SampleData.Keyed(mlContext).Test, Images);
                var pixels = mlContext.Data.CreateEnumerable<Row>(test, reuseRowObject: false).SelectMany(r => r.Features).ToArray();
                var memory = InMemoryScores(model, pixels);
                Assert.IsTrue(memory.Distinct().Count() > 10, "the trained network's scores vary");
                AssertClose(memory, Scores(loaded.Transform(test)), "LoadInitCnn zip (ONNX Runtime) vs its network in memory");
                AssertClose(memory, Scores(mlContext.Model.Load(zip, out _).Transform(test)), "plain Model.Load zip vs the network in memory");

                // PyTorch state dict out and back in (the image size is given: global average pooling hides it).
                string pt = Path.Combine(directory, "resnet.pt");
                model.ExportStateDict(pt);
                using var imported = mlContext.Model.ImportInitCnn(pt, new InitCnnImportOptions { Architecture = architecture, ImageHeight = 28 });
                Assert.AreEqual(architecture, imported.Model.Architecture);
                foreach (var (name, value) in model.StateDict())
                {
                    Assert.IsTrue(value.eq(imported.Model.StateDict()[name]).all().item<bool>(), $"{name} after export and import");
                }
                AssertClose(memory, InMemoryScores(imported.Model, pixels), "imported state dict vs the network in memory");

                var bytes = File.ReadAllBytes(onnx);
                Assert.AreEqual(architecture, OnnxModelReader.Read(bytes, onnx).Architecture);
                var graph = Onnx.ModelProto.Parser.ParseFrom(bytes).Graph;
                Assert.AreEqual(3, graph.Node.Count(n => n.OpType == "Add"), "one residual addition per block");
                Assert.AreEqual(2, graph.Node.Count(n => n.OpType == "Conv" && n.Input[1].EndsWith(".shortcut.weight", StringComparison.Ordinal)));
                Assert.AreEqual(architecture.BatchNorm ? 9 : 0, graph.Node.Count(n => n.OpType == "BatchNormalization"), "stem_bn, bn1 and bn2 of 3 blocks, 2 shortcut_bn");
                if (architecture.BatchNorm)
                {
                    // One epoch of the sample in 64-image batches moved every running statistic and counted the batches.
                    Assert.IsTrue(model.Network.Norms.All(n => n.NumBatchesTracked.item<long>() == 94 && n.RunningVar.min().item<float>() != 1), "running statistics restored");
                }
                using var session = new InferenceSession(bytes);
                using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(pixels, new[] { Images, 784 })) });
                AssertClose(memory, results.First(r => r.Name == "Score").AsEnumerable<float>().ToArray(), "exported .onnx in InferenceSession vs the network in memory");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        private static float[] InMemoryScores(InitCnnModelParameters model, float[] pixels)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var shape = model.ImageShape;
            var x = (tensor(pixels, new long[] { pixels.Length / shape.FeatureCount, shape.Channels, shape.Height, shape.Width }) - model.NormalizationMean) / model.NormalizationStd;
            return model.Network.forward(x).exp().data<float>().ToArray();
        }

        private static float[] Scores(IDataView scored) => scored.GetColumn<float[]>("Score").SelectMany(s => s).ToArray();

        private static void AssertClose(float[] expected, float[] actual, string what)
        {
            Assert.AreEqual(expected.Length, actual.Length, what);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], actual[i], 1e-5f, $"{what}: value {i}");
            }
        }

        private static (int ExitCode, string Output) Cli(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(ExamplesApp.AssemblyPath());
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["COLUMNS"] = "400";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("train --arch resnet still runs after 5 minutes");
            }
            return (process.ExitCode, new StringBuilder(stdout).Append(stderr.Result).ToString());
        }

        private sealed class Row
        {
            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
