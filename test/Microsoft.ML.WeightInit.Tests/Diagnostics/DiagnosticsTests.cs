using System;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Diagnostics
{
    /// <summary>Weight statistics against theory, signal propagation on a real batch, the article's mean listing.</summary>
    [TestClass]
    public sealed class DiagnosticsTests
    {
        private static TensorDataset? s_train;

        [ClassInitialize]
        public static void LoadSample(TestContext context) => s_train = SampleData.Tensors(MnistSplit.Train);

        [ClassCleanup]
        public static void Release() => s_train?.Dispose();

        private static torch.Tensor Images => s_train!.Features.narrow(0, 0, 64);

        private static torch.Tensor Labels => s_train!.Labels.narrow(0, 0, 64);

        [TestMethod]
        public void WeightStatistics_MatchTheory()
        {
            var plan = InitializerPlan.Parse("weight=kaiming_uniform(nonlinearity=relu); conv2.weight=xavier_normal; fc1.weight=orthogonal; zero_last_layer=true");
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var generator = new torch.Generator(1);
            NetworkInitializer.Initialize(net.Layers, generator, plan);
            var stats = WeightStatistics.Of(net.Layers, plan);
            CollectionAssert.AreEqual(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" },
                stats.Select(s => s.ParameterName).ToArray());
            foreach (var s in stats)
            {
                Assert.IsNotNull(s.Theory, s.ParameterName);
                long n = s.Shape.Aggregate(1L, (p, x) => p * x);
                Assert.AreEqual(s.Theory.Std, s.Std, 0.1 * s.Theory.Std + 1e-12, $"{s.ParameterName} {s.Scheme}");
                Assert.AreEqual(s.Theory.Mean, s.Mean, 6 * s.Theory.Std / Math.Sqrt(n) + 1e-12, $"{s.ParameterName} {s.Scheme}");
                if (s.Theory.Low is double low && s.Theory.High is double high)
                {
                    Assert.IsTrue(s.Min >= low - 1e-7 && s.Max <= high + 1e-7, $"{s.ParameterName}: [{s.Min}, {s.Max}] vs {s.Theory}");
                }
            }
            Assert.AreEqual("zeros", stats[6].Scheme);
            Assert.AreEqual("pytorch_default", stats[1].Scheme);
            Assert.AreEqual(1 / Math.Sqrt(25), stats[1].Theory!.High!.Value, 1e-15, "conv1 bias bound 1/sqrt(fan_in)");
        }

        [TestMethod]
        public void SignalPropagation_ForwardAndBackwardStdsPerLayer_ParametersUntouched()
        {
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path);
            using var generator = new torch.Generator(1);
            NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.PyTorchDefault);
            var report = SignalPropagation.Measure(net, Images, Labels);
            Assert.AreEqual(Math.Log(10), report.Loss, 0.1, "an untrained net is close to uniform over 10 classes");
            CollectionAssert.AreEqual(new[] { "conv1", "conv2", "fc1", "fc2" }, report.Layers.Select(l => l.LayerName).ToArray());
            Assert.IsTrue(report.Layers.All(l => l.OutputStd > 0 && l.GradientStd > 0 && double.IsFinite(l.OutputStd + l.GradientStd)), string.Join("; ", report.Layers));
            Assert.IsTrue(net.parameters().All(p => p.grad is null), "parameters' .grad stay empty");
            // PyTorch's default reset (gain 1/√3 per layer) shrinks the forward signal layer after layer.
            Assert.IsLessThan(report.Layers[0].OutputStd, report.Layers[3].OutputStd);
        }

        [TestMethod]
        public void Analyze_WithLsuv_CalibratesAndReports()
        {
            var report = InitializationDiagnostics.Analyze(InitializerPlan.Parse("weight=lsuv; bias=zeros"), 1, Images, Labels);
            Assert.HasCount(4, report.Calibrations);
            Assert.HasCount(8, report.Parameters);
            Assert.IsTrue(report.Signal.Layers.All(l => Math.Abs(l.OutputStd * l.OutputStd - 1) < 0.1), string.Join("; ", report.Signal.Layers));
            Assert.IsNull(report.Parameters[0].Theory, "LSUV has no a-priori theory");
            Assert.AreEqual("weight=lsuv(tol=0.1, max_iterations=10); bias=zeros", report.Plan);
        }

        [TestMethod]
        public void MeanInitializationListing_HasTheArticlesNineLines()
        {
            var lines = MeanInitializationListing.Run(seed: 1);
            CollectionAssert.AreEqual(new[] { "Zeros", "Ones", "Uniform", "Normal", "Xavier uniform", "Xavier normal", "Kaiming uniform", "Kaiming normal", "Orthogonal" },
                lines.Select(l => l.Label).ToArray());
            Assert.AreEqual(0.0, lines[0].Mean);
            Assert.AreEqual(1.0, lines[1].Mean);
            Assert.AreEqual(0.5, lines[2].Mean, 5 / Math.Sqrt(12 * 500));
            Assert.AreEqual(0.0, lines[3].Mean, 5 / Math.Sqrt(500));
            Assert.IsTrue(lines.Skip(4).All(l => Math.Abs(l.Mean) < 0.05), string.Join("; ", lines));
            CollectionAssert.AreEqual(lines.ToList(), MeanInitializationListing.Run(seed: 1).ToList(), "deterministic");
        }
    }
}
