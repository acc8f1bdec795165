using System;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>calculate_gain's table and fans, as PyTorch's.</summary>
    [TestClass]
    public sealed class GainAndFansTests
    {
        [TestMethod]
        [DataRow("linear", 1.0)]
        [DataRow("conv1d", 1.0)]
        [DataRow("conv2d", 1.0)]
        [DataRow("conv3d", 1.0)]
        [DataRow("conv_transpose1d", 1.0)]
        [DataRow("conv_transpose2d", 1.0)]
        [DataRow("conv_transpose3d", 1.0)]
        [DataRow("sigmoid", 1.0)]
        [DataRow("tanh", 5.0 / 3)]
        [DataRow("relu", 1.4142135623730951)]
        [DataRow("selu", 0.75)]
        public void Table(string name, double gain) => Assert.AreEqual(gain, Gain.Calculate(name), 0.0);

        [TestMethod]
        public void LeakyRelu_DefaultSlopeIsOneHundredth()
        {
            Assert.AreEqual(Math.Sqrt(2.0 / (1 + 0.01 * 0.01)), Gain.Calculate(Nonlinearity.LeakyRelu), 0.0);
            Assert.AreEqual(Math.Sqrt(2.0 / 1.04), Gain.Calculate("leaky_relu", 0.2), 1e-15);
            Assert.AreEqual(Math.Sqrt(2.0), Gain.Calculate("leaky_relu", 0), 0.0);
            Assert.AreEqual(Gain.DefaultLeakyReluSlope, 0.01);
        }

        [TestMethod]
        public void UnknownNames_AreRejectedListingTheValidOnes()
        {
            foreach (string name in new[] { "swish", "Relu", "", "gelu" })
            {
                var e = Assert.Throws<ArgumentException>(() => Gain.Calculate(name));
                StringAssert.Contains(e.Message, $"Unsupported nonlinearity {name}");
                StringAssert.Contains(e.Message, "conv_transpose3d, leaky_relu, linear, relu, selu, sigmoid, tanh");
            }
            Assert.Throws<ArgumentException>(() => Gain.Calculate("leaky_relu", double.NaN));
            Assert.Throws<ArgumentException>(() => Gain.Calculate((Nonlinearity)99));
        }

        [TestMethod]
        public void Fans_OfTheNetsShapes()
        {
            Assert.AreEqual((25L, 500L), Fans.Compute(new long[] { 20, 1, 5, 5 }));
            Assert.AreEqual((500L, 1250L), Fans.Compute(new long[] { 50, 20, 5, 5 }));
            Assert.AreEqual((800L, 500L), Fans.Compute(new long[] { 500, 800 }));
            Assert.AreEqual((500L, 10L), Fans.Compute(new long[] { 10, 500 }));
            Assert.AreEqual(500L, Fans.Select(new long[] { 500, 800 }, FanMode.FanOut));
            using var weight = TorchSharp.torch.empty(50, 20, 5, 5);
            Assert.AreEqual((500L, 1250L), Fans.Of(weight));
            var e = Assert.Throws<ArgumentException>(() => Fans.Compute(new long[] { 50 }, "conv2.bias"));
            StringAssert.Contains(e.Message, "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions: 'conv2.bias' has shape [50]");
        }
    }
}
