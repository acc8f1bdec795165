using System;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Networks
{
    /// <summary>
    /// The convolution paths and the whole network against float64 references (never trust a kernel: libtorch
    /// 2.10's oneDNN blocked conv2d is wrong on some AVX-512 CPUs).
    /// </summary>
    [TestClass]
    public sealed class ConvolutionTests
    {
        private const double Tolerance = 1e-4;

        [TestMethod]
        public void SelectedPath_PassedItsFloat64Check_AndIsTheFirstPassingInPreferenceOrder()
        {
            var selection = ConvolutionPathSelector.Current;

            Assert.IsTrue(selection.Checks[^1].Passed, selection.ToString());
            Assert.AreEqual(selection.Path, selection.Checks[^1].Path);
            Assert.IsTrue(selection.Checks.Take(selection.Checks.Count - 1).All(c => !c.Passed), "an earlier path passed but was not chosen");
            CollectionAssert.AreEqual(ConvolutionPathSelector.Preference.Take(selection.Checks.Count).ToList(),
                selection.Checks.Select(c => c.Path).ToList());
        }

        [TestMethod]
        public void Im2ColReference_InFloat64_EqualsDirectSumOverTheKernel()
        {
            // The reference itself, checked against the definition on a tiny case: out[o,y,x] = b[o] + Σ w[o,c,i,j]·in[c,y+i,x+j].
            using var scope = NewDisposeScope();
            using var g = new Generator(7);
            var input = randn(new long[] { 2, 3, 6, 7 }, ScalarType.Float64, generator: g);
            var weight = randn(new long[] { 4, 3, 3, 2 }, ScalarType.Float64, generator: g);
            var bias = randn(new long[] { 4 }, ScalarType.Float64, generator: g);
            var got = Convolution.Conv2d(input, weight, bias, ConvolutionPath.Im2Col);
            var x = input.data<double>().ToArray();
            var w = weight.data<double>().ToArray();
            var b = bias.data<double>().ToArray();
            var o = got.data<double>().ToArray();
            CollectionAssert.AreEqual(new long[] { 2, 4, 4, 6 }, got.shape);
            double worst = 0;
            for (int n = 0; n < 2; n++)
                for (int oc = 0; oc < 4; oc++)
                    for (int y = 0; y < 4; y++)
                        for (int xx = 0; xx < 6; xx++)
                        {
                            double sum = b[oc];
                            for (int c = 0; c < 3; c++)
                                for (int i = 0; i < 3; i++)
                                    for (int j = 0; j < 2; j++)
                                        sum += w[((oc * 3 + c) * 3 + i) * 2 + j] * x[((n * 3 + c) * 6 + y + i) * 7 + xx + j];
                            worst = Math.Max(worst, Math.Abs(sum - o[((n * 4 + oc) * 4 + y) * 6 + xx]));
                        }
            Assert.IsTrue(worst < 1e-12, $"im2col differs from the definition by {worst}");
        }

        [TestMethod]
        public void Im2ColPath_PassesTheFloat64Check()
        {
            var check = ConvolutionCheck.Run(ConvolutionPath.Im2Col, repeats: 1);
            Assert.IsTrue(check.Passed, check.ToString());
        }

        [TestMethod]
        public void WholeNet_ForwardAndEveryParameterGradient_MatchFloat64OnARealBatch()
        {
            using var scope = NewDisposeScope();
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 64);
            var labels = data.Labels.narrow(0, 0, 64);

            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path);
            using (var g = new Generator(1))
            {
                NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.PyTorchDefault);
            }
            using var reference = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            Float64NetCheck.AssertForwardAndGradientsMatch(net, reference, images, labels, Tolerance, "whole net");
        }

        [TestMethod]
        public void ConvolutionCheck_ReportsNaNOutputAsFailure()
        {
            using var scope = NewDisposeScope();
            var reference = ones(3, 3, dtype: ScalarType.Float64);
            var withNaN = ones(3, 3);
            withNaN[1, 1] = tensor(float.NaN);

            Assert.IsTrue(double.IsNaN(ConvolutionCheck.RelativeError(withNaN, reference)));
            Assert.IsFalse(new ConvolutionCheck(ConvolutionPath.Native, double.NaN, 1).Passed);
            Assert.AreEqual(0, ConvolutionCheck.RelativeError(ones(3, 3), reference));
        }
    }
}
