using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

using static Microsoft.ML.WeightInit.Tests.ChildProcess;

namespace Microsoft.ML.WeightInit.Tests.Interop
{
    /// <summary>
    /// PyTorch state dict export and import: a bit-identical round trip here, and the real PyTorch (Debian's
    /// python3-torch, /usr/bin/python3) loading our export into the seed's Net and writing a state dict we import.
    /// </summary>
    [TestClass]
    public sealed class PyTorchStateDictTests
    {
        private const int Images = 64;
        private static string s_directory = null!;

        [ClassInitialize]
        public static void CreateDirectory(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-pt-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
        }

        [ClassCleanup]
        public static void DeleteDirectory() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        public void ExportThenImport_GivesTheSameParametersAndScores_BitForBit()
        {
            string path = Path.Combine(s_directory, "roundtrip.pt");
            SampleModel.Cnn.Model.ExportStateDict(path);

            using var imported = SampleModel.MLContext.Model.ImportInitCnn(path);

            foreach (var (name, tensor) in SampleModel.Cnn.Model.StateDict())
            {
                Assert.IsTrue(tensor.eq(imported.Model.StateDict()[name]).all().item<bool>(), $"{name} differs");
            }
            var keyed = ((IEnumerable<ITransformer>)SampleModel.Model).First().Transform(SampleModel.Test);
            var expected = Scores(SampleModel.Cnn.Transform(keyed));
            var actual = Scores(imported.Transform(keyed));
            for (int i = 0; i < expected.Count; i++)
            {
                CollectionAssert.AreEqual(expected[i], actual[i], $"row {i}");
            }
        }

        [TestMethod]
        public void ImportedModel_PredictsDigitsThroughMapKeyToValue()
        {
            string path = Path.Combine(s_directory, "digits.pt");
            SampleModel.Cnn.Model.ExportStateDict(path);
            var mlContext = new MLContext();
            var model = mlContext.Model.ImportInitCnn(path);

            var predictions = mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(SampleModel.Test))
                .Transform(model.Transform(SampleModel.Test));
            var original = mlContext.Data.CreateEnumerable<DigitPrediction>(SampleModel.Model.Transform(SampleModel.Test), false).Select(p => p.PredictedLabel);

            CollectionAssert.AreEqual(original.ToArray(), predictions.GetColumn<uint>("PredictedLabel").ToArray());
            Assert.AreEqual("imported", model.Model.WeightInitializer);
            Assert.AreEqual(0, model.Model.History.Count);
        }

        [TestMethod]
        public void ImportingAFileThatIsNotAStateDict_FailsClearly()
        {
            string path = Path.Combine(s_directory, "not-a-state-dict.pt");
            File.WriteAllText(path, "hello");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(path));

            StringAssert.Contains(e.Message, "not a PyTorch state dict");
        }

        [TestMethod]
        public void PyTorch_LoadsTheExportIntoTheSeedNet_AndComputesTheSameLogProbabilities()
        {
            RequirePyTorch();
            string state = Path.Combine(s_directory, "export.pt");
            SampleModel.Cnn.Model.ExportStateDict(state);
            var (inputs, images) = NormalizedTestImages();

            var fromPyTorch = RunInPyTorch(state, images);
            var ours = LogProbabilities(SampleModel.Cnn.Model, inputs);

            AssertClose(ours, fromPyTorch);
        }

        [TestMethod]
        public void AStateDictSavedByPyTorch_Imports_WithTheSameParametersAndOutputs()
        {
            RequirePyTorch();
            string state = Path.Combine(s_directory, "pytorch.pt");
            string parameters = Path.Combine(s_directory, "pytorch-params.f32");
            Python("make", state, "1", parameters);

            using var model = new MLContext().Model.ImportInitCnn(state);
            var (inputs, images) = NormalizedTestImages();

            var expected = ReadFloats(parameters);
            var actual = model.Model.StateDict().Values.SelectMany(t => t.data<float>().ToArray()).ToArray();
            CollectionAssert.AreEqual(expected, actual, "parameters differ from PyTorch's");
            Assert.AreEqual(WeightInit.Networks.ImageShape.Mnist, model.Model.ImageShape);
            AssertClose(LogProbabilities(model.Model, inputs), RunInPyTorch(state, images));
        }

        private static void AssertClose(float[] ours, float[] theirs)
        {
            Assert.AreEqual(theirs.Length, ours.Length);
            for (int i = 0; i < ours.Length; i++)
            {
                // Two libtorch builds (1.13 and 2.10) sum in other orders: float32 rounding apart.
                Assert.AreEqual(theirs[i], ours[i], 2e-5f + 2e-5f * Math.Abs(theirs[i]), $"value {i} (image {i / 10}, class {i % 10})");
            }
            for (int n = 0; n < ours.Length / 10; n++)
            {
                Assert.AreEqual(ArgMax(theirs.AsSpan(n * 10, 10)), ArgMax(ours.AsSpan(n * 10, 10)), $"image {n}");
            }
        }

        private static (Tensor Inputs, float[] Raw) NormalizedTestImages()
        {
            var rows = SampleModel.MLContext.Data.CreateEnumerable<DigitRow>(SampleModel.Test, false).Take(Images).ToList();
            var model = SampleModel.Cnn.Model;
            var raw = rows.SelectMany(r => r.Features).Select(v => (v - model.NormalizationMean) / model.NormalizationStd).ToArray();
            return (tensor(raw, new long[] { Images, 1, 28, 28 }), raw);
        }

        private static float[] LogProbabilities(InitCnnModelParameters model, Tensor inputs)
        {
            using var noGrad = no_grad();
            using var output = model.Network.forward(inputs);
            return output.data<float>().ToArray();
        }

        private static float[] RunInPyTorch(string state, float[] images)
        {
            string input = Path.Combine(s_directory, Guid.NewGuid().ToString("N") + ".f32");
            string output = input + ".out";
            File.WriteAllBytes(input, MemoryMarshal.AsBytes(images.AsSpan()).ToArray());
            Python("run", state, input, Images.ToString(System.Globalization.CultureInfo.InvariantCulture), output);
            return ReadFloats(output);
        }

        private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

        private static int ArgMax(ReadOnlySpan<float> values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
            {
                best = values[i] > values[best] ? i : best;
            }
            return best;
        }

        private static void Python(params string[] arguments)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Interop", "seed_net.py");
            var result = Run("/usr/bin/python3", new[] { script }.Concat(arguments).ToArray());
            Assert.AreEqual(0, result.ExitCode, $"seed_net.py {string.Join(' ', arguments)} failed:\n{result.Output}");
        }


        private static List<float[]> Scores(IDataView scored) =>
            scored.GetColumn<float[]>("Score").ToList();
    }
}
