using System;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Tests.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>The deep architectures: names and shapes, plans with per-layer and type rules, float64 correctness of
    /// forward and backward on a real batch, signal propagation against He et al.'s variance formula.</summary>
    [TestClass]
    public sealed class DeepNetworkTests
    {
        private const double Tolerance = 1e-4;

        [TestMethod]
        public void Mlp_HasLayersNamedLayersI_WithTheDocumentedShapes()
        {
            using var net = NetworkArchitecture.Parse("mlp(depth=4, width=16)").Build(ImageShape.Mnist, ConvolutionPath.Im2Col);

            var shapes = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
            CollectionAssert.AreEqual(Enumerable.Range(0, 4).SelectMany(i => new[] { $"layers.{i}.weight", $"layers.{i}.bias" }).ToArray(), shapes.Keys.ToArray());
            CollectionAssert.AreEqual(new long[] { 16, 784 }, shapes["layers.0.weight"]);
            CollectionAssert.AreEqual(new long[] { 16, 16 }, shapes["layers.2.weight"]);
            CollectionAssert.AreEqual(new long[] { 10, 16 }, shapes["layers.3.weight"]);
            CollectionAssert.AreEqual(new[] { "layers.0", "layers.1", "layers.2", "layers.3" }, net.Layers.Select(l => l.LayerName).ToArray());
            CollectionAssert.AreEqual(net.Architecture.ParameterShapes(ImageShape.Mnist).Select(p => p.Name).ToArray(), shapes.Keys.ToArray());
            Assert.IsTrue(net.Architecture.ParameterShapes(ImageShape.Mnist).All(p => p.Shape.SequenceEqual(shapes[p.Name])));
        }

        [TestMethod]
        public void PlainCnn_HasThreeStagesOf3x3Convolutions_AndALinearClassifier()
        {
            var architecture = NetworkArchitecture.Parse("plain_cnn(depth=8, width=4)");
            using var net = architecture.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);

            var shapes = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
            // 7 convolutions in stages of 3, 2, 2 (4, 8, 16 channels), then layers.7: 16 → 10.
            CollectionAssert.AreEqual(new long[] { 4, 1, 3, 3 }, shapes["layers.0.weight"]);
            CollectionAssert.AreEqual(new long[] { 4, 4, 3, 3 }, shapes["layers.2.weight"]);
            CollectionAssert.AreEqual(new long[] { 8, 4, 3, 3 }, shapes["layers.3.weight"]);
            CollectionAssert.AreEqual(new long[] { 16, 8, 3, 3 }, shapes["layers.5.weight"]);
            CollectionAssert.AreEqual(new long[] { 16, 16, 3, 3 }, shapes["layers.6.weight"]);
            CollectionAssert.AreEqual(new long[] { 10, 16 }, shapes["layers.7.weight"]);
            Assert.AreEqual(16, shapes.Count);
            Assert.IsTrue(architecture.ParameterShapes(ImageShape.Mnist).All(p => p.Shape.SequenceEqual(shapes[p.Name])));
            var pools = architecture.Steps(ImageShape.Mnist).Count(s => s.Kind == LayerKind.MaxPool);
            Assert.AreEqual(2, pools);
        }

        [TestMethod]
        [DataRow("mlp(depth=5, width=32, activation=relu)")]
        [DataRow("mlp(depth=5, width=32, activation=tanh)")]
        [DataRow("mlp(depth=5, width=32, activation=selu)")]
        [DataRow("mlp(depth=5, width=32, activation=linear)")]
        [DataRow("plain_cnn(depth=6, width=8, activation=relu)")]
        [DataRow("plain_cnn(depth=4, width=4, activation=tanh)")]
        public void ForwardAndEveryParameterGradient_MatchFloat64_OnARealBatch(string text)
        {
            using var scope = NewDisposeScope();
            var architecture = NetworkArchitecture.Parse(text);
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 32);
            var labels = data.Labels.narrow(0, 0, 32);

            using var net = architecture.Build(ImageShape.Mnist, ConvolutionPathSelector.Current.Path);
            using (var g = new Generator(1))
            {
                NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.Parse("weight=kaiming_normal; bias=normal(std=0.1)"));
            }
            using var reference = architecture.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            var out32 = Float64NetCheck.AssertForwardAndGradientsMatch(net, reference, images, labels, Tolerance, text);
            // The layer outputs of the diagnostics pass are the ones forward uses.
            var outputs = net.ForwardWithLayerOutputs(images);
            Assert.AreEqual(net.Layers.Count + 1, outputs.Count);
            Assert.AreEqual(0, ConvolutionCheck.RelativeError(outputs[^1].detach(), out32.detach().to(ScalarType.Float64)), 1e-6);
        }

        [TestMethod]
        public void Plans_WithPerLayerGlobAndTypeRules_ResolveOnTheLayersByPrecedence()
        {
            using var net = NetworkArchitecture.Parse("mlp(depth=4, width=8)").Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var g = new Generator(3);
            var plan = InitializerPlan.Parse("weight=kaiming_normal; bias=zeros; Linear.bias=ones; layers.2.bias=constant(val=3); layers.*.weight=xavier_normal; layers.1.weight=zeros");

            NetworkInitializer.Initialize(net.Layers, g, plan);

            Assert.AreEqual(0.0, net.Layers[1].Weight.abs().max().item<float>(), "exact path beats the glob");
            Assert.AreEqual("xavier_normal(gain=1)", NetworkInitializer.Effective(plan, net.Layers, 0, ParameterRole.Weight).TextForm, "the glob beats plan-wide weight");
            Assert.AreEqual(1.0f, net.Layers[0].Bias.min().item<float>(), "the type rule beats plan-wide bias");
            Assert.AreEqual(3.0f, net.Layers[2].Bias.min().item<float>(), "exact path beats the type rule");
            var unknown = Assert.Throws<ArgumentException>(() => NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.Parse("layers.9.weight=zeros")));
            StringAssert.Contains(unknown.Message, "layers.9.weight");
            var zeroLast = InitializerPlan.Parse("weight=kaiming_normal; zero_last_layer=true");
            NetworkInitializer.Initialize(net.Layers, g, zeroLast);
            Assert.AreEqual(0.0f, net.Layers[3].Weight.abs().max().item<float>());
            Assert.IsTrue(net.Layers[2].Weight.abs().max().item<float>() > 0);
        }

        [TestMethod]
        public void Lsuv_CalibratesEveryLayerOfADeepMlp_ToUnitOutputVariance()
        {
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 64);
            using var net = NetworkArchitecture.Parse("mlp(depth=6, width=64)").Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var g = new Generator(1);

            var calibrations = NetworkInitializer.Initialize(net, g, InitializerPlan.Parse("weight=lsuv; bias=zeros"), images);

            Assert.AreEqual(6, calibrations.Count);
            Assert.IsTrue(calibrations.All(c => Math.Abs(c.FinalVariance - 1) < 0.1), string.Join("; ", calibrations));
        }

        [TestMethod]
        public void SignalPropagation_AtInit_FollowsHesVarianceFormula_PerReluLayer()
        {
            // He et al. 2015: each ReLU layer multiplies the output variance by fan_in·Var(w)/2 — 1 for Kaiming, 1/2 for
            // Xavier on square layers, 1/6 for PyTorch's default reset (Var(w) = 1/(3·fan_in)).
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 256);
            var labels = data.Labels.narrow(0, 0, 256);
            var architecture = NetworkArchitecture.Parse("mlp(depth=10, width=256, activation=relu)");
            foreach (var (plan, expected) in new[] { ("weight=kaiming_normal; bias=zeros", 1.0), ("weight=xavier_normal; bias=zeros", 0.5), ("weight=pytorch_default; bias=zeros", 1.0 / 6) })
            {
                var report = InitializationDiagnostics.Analyze(InitializerPlan.Parse(plan), 1, images, labels, architecture: architecture);
                var ratios = LayerVarianceRatio.Of(report, architecture).Skip(1).Take(7).ToList(); // square 256 × 256 layers
                double theory = Math.Exp(ratios.Average(r => Math.Log(r.Theory)));
                double measured = Math.Exp(ratios.Average(r => Math.Log(r.Measured)));
                Assert.AreEqual(expected, theory, 0.05 * expected, $"{plan}: theory from the drawn weights");
                Assert.AreEqual(expected, measured, 0.2 * expected, $"{plan}: measured ratio per layer (geometric mean of 7 layers, batch of 256)");
            }
        }
    }
}
