using System;
using System.Linq;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary><see cref="NetworkArchitecture"/>: text forms both ways, defaults, typed errors naming the parameter.</summary>
    [TestClass]
    public sealed class NetworkArchitectureTests
    {
        [TestMethod]
        public void TextForms_ReadBackToEqualArchitectures_WithDefaultsFilledIn()
        {
            Assert.AreSame(NetworkArchitecture.MnistNet, NetworkArchitecture.Parse("mnist_net"));
            Assert.AreEqual("mlp(depth=30, width=256, activation=relu)", NetworkArchitecture.Parse("mlp").TextForm);
            Assert.AreEqual("plain_cnn(depth=20, width=32, activation=relu, batch_norm=false)", NetworkArchitecture.Parse(" plain_cnn() ").TextForm);
            var mlp = NetworkArchitecture.Parse("mlp(activation=tanh, depth=100)");
            Assert.AreEqual(ArchitectureKind.Mlp, mlp.Kind);
            Assert.AreEqual(100, mlp.Depth);
            Assert.AreEqual(256, mlp.Width);
            Assert.AreEqual(NetworkActivation.Tanh, mlp.Activation);
            Assert.AreEqual(mlp, NetworkArchitecture.Parse(mlp.TextForm));
            Assert.AreEqual(NetworkArchitecture.Mlp(8, 64, NetworkActivation.Linear), NetworkArchitecture.Parse("mlp(depth=8, width=64, activation=linear)"));
            Assert.AreNotEqual(NetworkArchitecture.Mlp(8), NetworkArchitecture.Mlp(9));
            CollectionAssert.AreEqual(new[] { "layers.0", "layers.1", "layers.2" }, NetworkArchitecture.Parse("mlp(depth=3)").LayerNames.ToArray());
            CollectionAssert.AreEqual(new[] { "conv1", "conv2", "fc1", "fc2" }, NetworkArchitecture.MnistNet.LayerNames.ToArray());
            var bn = NetworkArchitecture.Parse("plain_cnn(batch_norm=true, depth=5)");
            Assert.IsTrue(bn.BatchNorm);
            Assert.AreEqual("plain_cnn(depth=5, width=32, activation=relu, batch_norm=true)", bn.TextForm);
            Assert.AreEqual(NetworkArchitecture.PlainCnn(5, batchNorm: true), NetworkArchitecture.Parse(bn.TextForm));
            Assert.AreNotEqual(NetworkArchitecture.PlainCnn(5), bn);
            CollectionAssert.AreEqual(NetworkArchitecture.PlainCnn(5).LayerNames.ToArray(), bn.LayerNames.ToArray(), "the layer list counts Conv2d and Linear layers");
        }

        [TestMethod]
        [DataRow("mlp(depth=1)", "depth")]
        [DataRow("mlp(depth=1001)", "depth")]
        [DataRow("mlp(depth=x)", "depth")]
        [DataRow("mlp(width=0)", "width")]
        [DataRow("mlp(activation=gelu)", "activation")]
        [DataRow("mlp(dropout=0.5)", "dropout")]
        [DataRow("mlp(depth=3, depth=4)", "depth")]
        [DataRow("mlp(batch_norm=true)", "batch_norm")]
        [DataRow("plain_cnn(batch_norm=maybe)", "batch_norm")]
        [DataRow("plain_cnn(width=2048)", "width")]
        [DataRow("mnist_net(depth=3)", "depth")]
        [DataRow("densenet(blocks=3)", null)]
        [DataRow("mlp(depth=3", null)]
        [DataRow("", null)]
        public void BadTextForms_ThrowTheTypedError_NamingTheParameter(string text, string? parameter)
        {
            var e = Assert.ThrowsExactly<ArchitectureFormatException>(() => NetworkArchitecture.Parse(text));
            Assert.AreEqual(parameter, e.ParameterName, e.Message);
            Assert.IsFalse(NetworkArchitecture.TryParse(text, out var none, out string? error));
            Assert.IsNull(none);
            Assert.AreEqual(e.Message, error);
            if (parameter is not null)
            {
                StringAssert.Contains(e.Message, parameter);
            }
        }

        [TestMethod]
        public void Factories_CheckTheirValues_AsTheParser()
        {
            Assert.AreEqual("depth", Assert.ThrowsExactly<ArchitectureFormatException>(() => NetworkArchitecture.Mlp(depth: 0)).ParameterName);
            Assert.AreEqual("width", Assert.ThrowsExactly<ArchitectureFormatException>(() => NetworkArchitecture.PlainCnn(width: -1)).ParameterName);
            Assert.AreEqual("activation", Assert.ThrowsExactly<ArchitectureFormatException>(() => NetworkArchitecture.Mlp(activation: (NetworkActivation)42)).ParameterName);
        }
    }
}
