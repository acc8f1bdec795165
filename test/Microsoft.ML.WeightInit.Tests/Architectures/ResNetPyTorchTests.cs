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

using static Microsoft.ML.WeightInit.Tests.ChildProcess;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>
    /// <c>resnet</c> against the same network written in PyTorch 1.13 (Architectures/resnet_net.py, run by Debian's
    /// /usr/bin/python3): PyTorch's construction-time reset with the same seed gives our default initialization bit for
    /// bit (so the layers are built in PyTorch's order), and with the same weights both give the same log-probabilities
    /// and parameter gradients on a real batch in train mode; with batch normalization also the same running statistics
    /// after that step and the same eval-mode log-probabilities. Networks with batch normalization are compared in
    /// float64 (to 1e-9): in float32 the stem's weight gradient through a train-mode batch normalization is
    /// ill-conditioned on MNIST (Σ g·x with Σ g = 0 over a constant background cancels; two float32 libtorch builds
    /// differ by 2.5e-3 relative there), so float32 would test the rounding, not the network.
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
        [DataRow(5, 4, false, 7)]
        [DataRow(2, 3, false, 1)]
        [DataRow(4, 4, true, 2)]
        public void PyTorchsDefaultReset_WithTheSameSeed_IsOurs_BitForBit(int blocks, int width, bool batchNorm, int seed)
        {
            RequirePyTorch();
            string file = Path.Combine(s_directory, $"reset-{blocks}-{width}-{batchNorm}-{seed}.f32");
            Python("make", blocks, width, batchNorm ? 1 : 0, seed, file);

            using var net = NetworkArchitecture.ResNet(blocks, width, batchNorm).Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using (var g = new Generator((ulong)seed))
            {
                NetworkInitializer.Initialize(net, g, InitializerPlan.PyTorchDefault, null);
            }

            CollectionAssert.AreEqual(ReadFloats(file), Flatten(net), "parameters in state-dict order");
        }

        [TestMethod]
        [DataRow(5, 4, false)]
        [DataRow(3, 6, false)]
        [DataRow(4, 4, true)]
        public void TheSameWeightsInPyTorch_GiveTheSameLogProbabilitiesAndGradients(int blocks, int width, bool batchNorm)
        {
            RequirePyTorch();
            using var scope = NewDisposeScope();
            var architecture = NetworkArchitecture.ResNet(blocks, width, batchNorm);
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, Images).contiguous();
            var labels = data.Labels.narrow(0, 0, Images).contiguous();
            using var net = architecture.Build(ImageShape.Mnist, ConvolutionPathSelector.For(architecture.CheckShapes(ImageShape.Mnist)).Path);
            var type = batchNorm ? ScalarType.Float64 : ScalarType.Float32;
            double tolerance = batchNorm ? 1e-9 : 1e-4;
            using (var g = new Generator(3))
            {
                // Batch normalizations get non-trivial scales and shifts too (rules name them; the plan-wide ones do not).
                NetworkInitializer.Initialize(net, g, InitializerPlan.Parse("weight=kaiming_normal(nonlinearity=relu); bias=normal(std=0.1)"
                    + (batchNorm ? "; BatchNorm2d.weight=uniform(a=0.5, b=1.5); BatchNorm2d.bias=normal(std=0.1)" : string.Empty)), null);
            }
            string prefix = Path.Combine(s_directory, $"run-{blocks}-{width}-{batchNorm}");
            File.WriteAllBytes(prefix + ".params.f32", MemoryMarshal.AsBytes(Flatten(net).AsSpan()).ToArray());
            File.WriteAllBytes(prefix + ".images.f32", MemoryMarshal.AsBytes(images.data<float>().ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(prefix + ".labels.i64", MemoryMarshal.AsBytes(labels.data<long>().ToArray().AsSpan()).ToArray());

            Python("run", blocks, width, batchNorm ? 1 : 0, batchNorm ? "f64" : "f32", prefix + ".params.f32", Images, prefix + ".images.f32", prefix + ".labels.i64", prefix + ".out");
            net.to(type);
            net.train();
            var output = net.forward(images.to(type));
            F.nll_loss(output, labels).backward();

            var theirs = batchNorm ? MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(prefix + ".out")).ToArray() : ReadFloats(prefix + ".out").Select(v => (double)v).ToArray();
            var ours = output.detach().to(ScalarType.Float64).data<double>().ToArray();
            AssertLogProbabilities(theirs, ours, batchNorm ? 1e-9 : 2e-5, "train mode");
            int offset = ours.Length;
            int gradients = net.named_parameters().Sum(p => (int)p.parameter.numel());
            double scale = theirs.Skip(offset).Take(gradients).Max(Math.Abs);
            foreach (var (name, parameter) in net.named_parameters())
            {
                int count = (int)parameter.numel();
                using var expected = tensor(theirs.AsSpan(offset, count).ToArray(), parameter.shape);
                // A gradient that is zero in exact arithmetic (a convolution's bias before a train-mode batch
                // normalization, which cancels any per-channel constant) is rounding noise: compared on the network's scale.
                double own = expected.abs().max().item<double>();
                double error = own <= 1e-9 * scale
                    ? (parameter.grad!.to(ScalarType.Float64) - expected).abs().max().item<double>() / scale
                    : ConvolutionCheck.RelativeError(parameter.grad!, expected);
                Assert.IsTrue(error <= tolerance, $"gradient of {name}: max |ours − PyTorch's| / max |PyTorch's| = {error:E2}");
                offset += count;
            }
            if (batchNorm)
            {
                foreach (var norm in net.Norms)
                {
                    foreach (var (what, buffer) in new[] { ("running_mean", norm.RunningMean), ("running_var", norm.RunningVar) })
                    {
                        int count = (int)buffer.numel();
                        using var expected = tensor(theirs.AsSpan(offset, count).ToArray(), buffer.shape);
                        double error = ConvolutionCheck.RelativeError(buffer, expected);
                        Assert.IsTrue(error <= tolerance, $"{norm.LayerName}.{what} after the step: relative error {error:E2}");
                        offset += count;
                    }
                }
                net.eval();
                using var noGrad = no_grad();
                var eval = net.forward(images.to(type)).data<double>().ToArray();
                AssertLogProbabilities(theirs.AsSpan(offset, eval.Length).ToArray(), eval, 1e-9, "eval mode (running statistics)");
                offset += eval.Length;
            }
            Assert.AreEqual(theirs.Length, offset, "PyTorch wrote one gradient per parameter (and, with batch norm, the running statistics and the eval output)");
        }

        private static void AssertLogProbabilities(double[] theirs, double[] ours, double tolerance, string what)
        {
            for (int i = 0; i < ours.Length; i++)
            {
                // libtorch 1.13 (PyTorch, padded conv2d) and TorchSharp's libtorch (explicit padding) sum in other orders.
                Assert.AreEqual(theirs[i], ours[i], tolerance + tolerance * Math.Abs(theirs[i]), $"{what}: log-probability {i} (image {i / 10}, class {i % 10})");
            }
        }

        private static float[] Flatten(ClassifierNetwork net) =>
            net.named_parameters().SelectMany(p => p.parameter.detach().contiguous().data<float>().ToArray()).ToArray();

        private static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

        private static void Python(params object[] arguments)
        {
            string script = Path.Combine(AppContext.BaseDirectory, "Architectures", "resnet_net.py");
            var text = arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!).ToArray();
            var result = Run(ChildProcess.Python, new[] { script }.Concat(text).ToArray());
            Assert.AreEqual(0, result.ExitCode, $"resnet_net.py {string.Join(' ', text)} failed:\n{result.Output}");
        }
    }
}
