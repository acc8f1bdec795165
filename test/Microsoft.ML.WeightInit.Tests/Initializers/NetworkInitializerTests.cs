using System;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>NetworkInitializer with plans: every scheme on a real network, zero last layer, LSUV calibration.</summary>
    [TestClass]
    public sealed class NetworkInitializerTests
    {
        private static TensorDataset? s_train;

        [ClassInitialize]
        public static void LoadSample(TestContext context) => s_train = SampleData.Tensors(MnistSplit.Train);

        [ClassCleanup]
        public static void Release() => s_train?.Dispose();

        private static torch.Tensor Batch(int size = 64) => s_train!.Features.narrow(0, 0, size);

        [TestMethod]
        public void EverySchemeThatFitsTheWeights_LeavesLeavesThatRequireGrad()
        {
            foreach (string scheme in new[]
            {
                "zeros", "ones", "constant(val=0.1)", "uniform", "normal(std=0.05)", "trunc_normal(std=0.05)", "xavier_uniform", "xavier_normal",
                "kaiming_uniform", "kaiming_normal", "orthogonal", "variance_scaling", "lecun_normal", "lecun_uniform",
            })
            {
                using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
                using var generator = new torch.Generator(1);
                NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.Parse($"weight={scheme}; bias=zeros"));
                foreach (var (name, p) in net.named_parameters())
                {
                    Assert.IsTrue(p.is_leaf && p.requires_grad, $"{scheme}: {name}");
                    Assert.IsTrue(p.isfinite().all().item<bool>(), $"{scheme}: {name}");
                }
            }
        }

        [TestMethod]
        public void ZeroLastLayer_ZerosFc2_LeavesTheOthersAsWithout()
        {
            using var with = Initialized("weight=xavier_normal; bias=zeros; zero_last_layer=true");
            using var without = Initialized("weight=xavier_normal; bias=zeros");
            Assert.AreEqual(0f, with.Layers[3].Weight.abs().max().item<float>());
            Assert.AreEqual(0f, with.Layers[3].Bias.abs().max().item<float>());
            foreach (var (a, b) in with.Layers.Take(3).Zip(without.Layers))
            {
                Assert.IsTrue(a.Weight.Equals(b.Weight), a.LayerName);
            }
            Assert.IsFalse(with.Layers[3].Weight.Equals(without.Layers[3].Weight));
        }

        [TestMethod]
        public void Lsuv_EveryLayerOutputHasUnitVarianceWithinTol()
        {
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path);
            using var generator = new torch.Generator(1);
            var plan = InitializerPlan.Parse("weight=lsuv(tol=0.05, max_iterations=10); bias=zeros");
            var calibrations = NetworkInitializer.Initialize(net, generator, plan, Batch());
            Assert.HasCount(4, calibrations);
            Assert.IsTrue(calibrations.All(c => c.Converged), string.Join("; ", calibrations));
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var outputs = net.ForwardWithLayerOutputs(Batch());
            for (int i = 0; i < 4; i++)
            {
                double variance = outputs[i].var().item<float>();
                Assert.AreEqual(1.0, variance, 0.05, $"{net.Layers[i].LayerName}: {variance}");
            }
            // The rescaled weights keep their orthogonal directions: W Wᵀ ∝ I for the wide fc1.
            var w = net.Layers[2].Weight.detach().to_type(torch.float64);
            var gram = w.matmul(w.t());
            double scale = gram[0, 0].item<double>();
            Assert.IsLessThan(1e-4 * scale, (gram - torch.eye(500, dtype: torch.float64) * scale).abs().max().item<double>());
        }

        [TestMethod]
        public void Lsuv_IsDeterministic_AndLayerOverrideWorks()
        {
            var plan = InitializerPlan.Parse("weight=kaiming_normal(nonlinearity=relu); bias=zeros; fc1.weight=lsuv");
            using var a = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var b = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using (var g = new torch.Generator(4))
            {
                Assert.HasCount(1, NetworkInitializer.Initialize(a, g, plan, Batch(32)));
            }
            using (var g = new torch.Generator(4))
            {
                NetworkInitializer.Initialize(b, g, plan, Batch(32));
            }
            foreach (var (x, y) in a.parameters().Zip(b.parameters()))
            {
                Assert.IsTrue(x.Equals(y));
            }
        }

        [TestMethod]
        public void Lsuv_WithoutBatch_IsRejectedBeforeAnyDraw()
        {
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var generator = new torch.Generator(1);
            var e = Assert.Throws<ArgumentException>(() => NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.Parse("lsuv")));
            StringAssert.Contains(e.Message, "needs a calibration batch");
            StringAssert.Contains(e.Message, "conv1.weight");
            e = Assert.Throws<ArgumentException>(() => Draws.Fill(new LsuvInitializer(), new long[] { 20 }, "conv1", ParameterRole.Bias, new long[] { 20, 1, 5, 5 }));
            StringAssert.Contains(e.Message, "lsuv initializes weights only");
        }

        [TestMethod]
        public void Lsuv_DeadLayer_IsReportedClearly()
        {
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var generator = new torch.Generator(1);
            var plan = InitializerPlan.Parse("weight=zeros; bias=zeros; fc2.weight=lsuv");
            var e = Assert.Throws<InvalidOperationException>(() => NetworkInitializer.Initialize(net, generator, plan, Batch(8)));
            StringAssert.Contains(e.Message, "fc2.weight");
        }

        [TestMethod]
        public void ShapeErrors_NameTheParameter()
        {
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var generator = new torch.Generator(1);
            var e = Assert.Throws<ArgumentException>(() => NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.Parse("bias=xavier_uniform")));
            StringAssert.Contains(e.Message, "'conv1.bias' has shape [20]");
        }

        private static MnistCnn Initialized(string plan)
        {
            var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var generator = new torch.Generator(1);
            NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.Parse(plan));
            return net;
        }
    }
}
