using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>eye and dirac: exact identity patterns, identity-preserving layers, errors.</summary>
    [TestClass]
    public sealed class EyeDiracInitializerTests
    {
        [TestMethod]
        [DataRow(7, 3)]
        [DataRow(3, 7)]
        [DataRow(10, 500)]
        [DataRow(0, 5)]
        public void Eye_IsTheIdentity(int rows, int cols)
        {
            var values = Draws.Values(new EyeInitializer(), new long[] { rows, cols });
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    Assert.AreEqual(r == c ? 1f : 0f, values[r * cols + c], $"({r}, {c})");
                }
            }
            var theory = new EyeInitializer().Describe(new long[] { rows, cols }, ParameterRole.Weight, new long[] { rows, cols });
            if (values.Length > 0)
            {
                Assert.AreEqual(Draws.Mean(values), theory.Mean, 1e-12);
            }
        }

        [TestMethod]
        public void Eye_LinearLayerPassesInputsThrough()
        {
            using var scope = torch.NewDisposeScope();
            var weight = Draws.Tensor(new EyeInitializer(), new long[] { 5, 3 });
            var x = torch.randn(4, 3);
            var y = F.linear(x, weight);
            Assert.IsTrue(y.narrow(1, 0, 3).allclose(x, rtol: 0, atol: 1e-7));
            Assert.AreEqual(0f, y.narrow(1, 3, 2).abs().max().item<float>());
        }

        [TestMethod]
        public void Eye_RejectsOtherThanTwoDimensions()
        {
            Draws.AssertRejected(() => Draws.Fill(new EyeInitializer(), new long[] { 20 }, "conv1", ParameterRole.Bias, new long[] { 20, 1, 5, 5 }),
                "Only tensors with 2 dimensions are supported", "'conv1.bias' has shape [20]");
            Draws.AssertRejected(() => Draws.Fill(new EyeInitializer(), new long[] { 20, 1, 5, 5 }, "conv1"),
                "Only tensors with 2 dimensions are supported", "'conv1.weight' has shape [20, 1, 5, 5]");
        }

        [TestMethod]
        [DataRow(new long[] { 20, 1, 5, 5 }, 1L)]
        [DataRow(new long[] { 50, 20, 5, 5 }, 1L)]
        [DataRow(new long[] { 4, 6, 3 }, 1L)]
        [DataRow(new long[] { 4, 6, 3 }, 2L)]
        [DataRow(new long[] { 6, 4, 3, 2 }, 2L)]
        [DataRow(new long[] { 8, 3, 2, 2, 2 }, 2L)]
        public void Dirac_HasOnesAtTheCentreOfMatchingChannels(long[] shape, long groups)
        {
            using var scope = torch.NewDisposeScope();
            var tensor = Draws.Tensor(new DiracInitializer(groups), shape);
            long perGroup = shape[0] / groups, minDim = Math.Min(perGroup, shape[1]);
            var expected = torch.zeros(shape);
            var centre = shape.Skip(2).Select(s => torch.TensorIndex.Single(s / 2)).ToArray();
            for (long g = 0; g < groups; g++)
            {
                for (long d = 0; d < minDim; d++)
                {
                    expected.index_put_(torch.ones(Array.Empty<long>()), new[] { torch.TensorIndex.Single(g * perGroup + d), torch.TensorIndex.Single(d) }.Concat(centre).ToArray());
                }
            }
            Assert.IsTrue(tensor.Equals(expected));
            Assert.AreEqual(groups * minDim, tensor.sum().item<float>());
        }

        [TestMethod]
        public void Dirac_ConvolutionPassesChannelsThrough()
        {
            using var scope = torch.NewDisposeScope();
            var weight = Draws.Tensor(new DiracInitializer(), new long[] { 50, 20, 5, 5 });
            var x = torch.randn(2, 20, 12, 12);
            // im2col: libtorch's oneDNN path is unreliable for 20-channel operands on some CPUs (see ConvolutionPath).
            var y = Convolution.Conv2d(F.pad(x, new long[] { 2, 2, 2, 2 }), weight, null, ConvolutionPath.Im2Col);
            Assert.IsTrue(y.narrow(1, 0, 20).allclose(x, rtol: 0, atol: 1e-6));
            Assert.AreEqual(0f, y.narrow(1, 20, 30).abs().max().item<float>());
        }

        [TestMethod]
        public void Dirac_ErrorPaths()
        {
            Draws.AssertRejected(() => Draws.Fill(new DiracInitializer(), new long[] { 10, 500 }, "fc2"),
                "Only tensors with 3, 4, or 5 dimensions are supported", "'fc2.weight' has shape [10, 500]");
            Draws.AssertRejected(() => Draws.Fill(new DiracInitializer(3), new long[] { 20, 1, 5, 5 }, "conv1"),
                "dim 0 must be divisible by groups", "'conv1.weight' has shape [20, 1, 5, 5]");
            Draws.AssertRejected(() => Draws.Fill(new DiracInitializer(0), new long[] { 20, 1, 5, 5 }), "groups must be at least 1");
            Assert.AreEqual("dirac(groups=1)", WeightInitializer.Parse("dirac").TextForm);
            Assert.Throws<FormatException>(() => WeightInitializer.Parse("dirac(groups=1.5)"));
        }
    }
}
