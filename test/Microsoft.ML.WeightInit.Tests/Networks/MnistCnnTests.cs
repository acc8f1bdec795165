using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Tests.Networks
{
    [TestClass]
    public sealed class MnistCnnTests
    {
        [TestMethod]
        public void Parameters_HaveTheSeedNetsNamesAndShapes()
        {
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);

            var shapes = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

            CollectionAssert.AreEqual(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" },
                shapes.Keys.ToArray());
            CollectionAssert.AreEqual(new long[] { 20, 1, 5, 5 }, shapes["conv1.weight"]);
            CollectionAssert.AreEqual(new long[] { 50, 20, 5, 5 }, shapes["conv2.weight"]);
            CollectionAssert.AreEqual(new long[] { 500, 800 }, shapes["fc1.weight"]);
            CollectionAssert.AreEqual(new long[] { 10, 500 }, shapes["fc2.weight"]);
            Assert.AreEqual(431_080L, net.parameters().Sum(p => p.numel()));
        }

        [TestMethod]
        public void Forward_GivesLogProbabilitiesPerImage()
        {
            using var scope = NewDisposeScope();
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path);
            using var g = new Generator(3);
            NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.PyTorchDefault);

            var output = net.forward(randn(new long[] { 5, 1, 28, 28 }, generator: g));

            CollectionAssert.AreEqual(new long[] { 5, 10 }, output.shape);
            var rowSums = output.exp().sum(1).data<float>().ToArray();
            Assert.IsTrue(rowSums.All(s => System.Math.Abs(s - 1) < 1e-5), string.Join(", ", rowSums));
        }

        [TestMethod]
        public void OtherImageSizes_FlattenToTheRightFc1Width()
        {
            var shape = new ImageShape(3, 32, 32, 4);
            using var net = new MnistCnn(shape, ConvolutionPath.Im2Col);

            Assert.AreEqual(5, shape.PooledHeight);
            CollectionAssert.AreEqual(new long[] { 500, 50 * 5 * 5 }, net.Layers[2].Weight.shape);
            CollectionAssert.AreEqual(new long[] { 4, 500 }, net.Layers[3].Weight.shape);
            Assert.Throws<System.ArgumentOutOfRangeException>(() => new ImageShape(1, 12, 28, 10));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => new ImageShape(1, 28, 28, 1));
        }
    }
}
