using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>
    /// <c>resnet</c> against the same network written in PyTorch 1.13 (Architectures/resnet_net.py, run by Debian's
    /// /usr/bin/python3): PyTorch's construction-time reset with the same seed gives our default initialization bit for
    /// bit (so the layers are built in PyTorch's order), and with the same weights both give the same log-probabilities
    /// and parameter gradients on a real batch.
    /// </summary>
    [TestClass]
    public sealed class ResNetPyTorchTests
    {
        private const int Images = 32;
        private static string s_directory = null!;

        [ClassInitialize]
        public static void CreateDirectory(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-resnet-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
        }

        [ClassCleanup]
        public static void DeleteDirectory() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        [DataRow(5, 4, 7)]
        [DataRow(2, 3, 1)]
        public void PyTorchsDefaultReset_WithTheSameSeed_IsOurs_BitForBit(int blocks, int width, int seed)
        {
            RequirePyTorch();
            string file = Path.Combine(s_directory, $"reset-{blocks}-{width}-{seed}.f32");
            Python("make", blocks, width, seed, file);

            using var net = NetworkArchitecture.ResNet(blocks, width).Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using (var g = new Generator((ulong)seed))
            {
                NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.PyTorchDefault);
            }

            CollectionAssert.AreEqual(ReadFloats(file), Flatten(net), "parameters in state-dict order");
        }

        [TestMethod]
        [DataRow(5, 4)]
        [DataRow(3, 6)]
        public void TheSameWeightsInPyTorch_GiveTheSameLogProbabilitiesAndGradients(int blocks, int width)
        {
            RequirePyTorch();
            using var scope = NewDisposeScope();
            var architecture = NetworkArchitecture.ResNet(blocks, width);
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, Images).contiguous();
            var labels = data.Labels.narrow(0, 0, Images).contiguous();
            using var net = architecture.Build(ImageShape.Mnist, ConvolutionPathSelector.For(architecture.CheckShapes(ImageShape.Mnist)).Path);
            using (var g = new Generator(3))
            {
                NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.Parse("weight=kaiming_normal(nonlinearity=relu); bias=normal(std=0.1)"));
            }
            string prefix = Path.Combine(s_directory, $"run-{blocks}-{width}");
            File.WriteAllBytes(prefix + ".params.f32", MemoryMarshal.AsBytes(Flatten(net).AsSpan()).ToArray());
            File.WriteAllBytes(prefix + ".images.f32", MemoryMarshal.AsBytes(images.data<float>().ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(prefix + ".labels.i64", MemoryMarshal.AsBytes(labels.data<long>().ToArray().AsSpan()).ToArray());

            Python("run", blocks, width, prefix + ".params.f32", Images, prefix + ".images.f32", prefix + ".labels.i64", prefix + ".out.f32");
            var output = net.forward(images);
            F.nll_loss(output, labels).backward();

            var theirs = ReadFloats(prefix + ".out.f32");
            var ours = output.detach().data<float>().ToArray();
            for (int i = 0; i < ours.Length; i++)
            {
                // libtorch 1.13 (PyTorch, padded conv2d) and TorchSharp's libtorch (explicit padding) sum in other orders.
                Assert.AreEqual(theirs[i], ours[i], 2e-5f + 2e-5f * Math.Abs(theirs[i]), $"log-probability {i} (image {i / 10}, class {i % 10})");
            }
            int offset = ours.Length;
            foreach (var (name, parameter) in net.named_parameters())
            {
                int count = (int)parameter.numel();
                using var expected = tensor(theirs.AsSpan(offset, count).ToArray(), parameter.shape).to(ScalarType.Float64);
                double error = ConvolutionCheck.RelativeError(parameter.grad!, expected);
                Assert.IsTrue(error <= 1e-4, $"gradient of {name}: max |ours − PyTorch's| / max |PyTorch's| = {error:E2}");
                offset += count;
            }
            Assert.AreEqual(theirs.Length, offset, "PyTorch wrote one gradient per parameter");
        }

        private static float[] Flatten(ClassifierNetwork net) =>
            net.named_parameters().SelectMany(p => p.parameter.detach().contiguous().data<float>().ToArray()).ToArray();

        private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

        private static void RequirePyTorch()
        {
            if (!File.Exists("/usr/bin/python3") || Run("-c", "import torch, numpy").ExitCode != 0)
            {
                Assert.Inconclusive("/usr/bin/python3 cannot import torch and numpy: install Debian's python3-torch.");
            }
        }

        private static void Python(params object[] arguments)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Architectures", "resnet_net.py");
            var text = arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!).ToArray();
            var result = Run(new[] { script }.Concat(text).ToArray());
            Assert.AreEqual(0, result.ExitCode, $"resnet_net.py {string.Join(' ', text)} failed:\n{result.Output}");
        }

        private static (int ExitCode, string Output) Run(params string[] arguments)
        {
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
