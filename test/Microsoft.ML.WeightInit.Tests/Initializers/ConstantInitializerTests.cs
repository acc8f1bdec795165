using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>zeros, ones, constant: exact values on any shape, in place, the parameter stays a leaf.</summary>
    [TestClass]
    public sealed class ConstantInitializerTests
    {
        public static System.Collections.Generic.IEnumerable<object[]> Cases => new[]
        {
            new object[] { new ZerosInitializer(), 0f },
            new object[] { new OnesInitializer(), 1f },
            new object[] { new ConstantInitializer(0.25), 0.25f },
            new object[] { new ConstantInitializer(-3.5), -3.5f },
        };

        [TestMethod]
        [DynamicData(nameof(Cases))]
        public void EveryShape_EveryValueIsTheConstant(WeightInitializer initializer, float expected)
        {
            foreach (var shape in new[] { new long[] { 20, 1, 5, 5 }, new long[] { 20 }, new long[] { 10, 500 }, Array.Empty<long>(), new long[] { 0, 5 } })
            {
                var values = Draws.Values(initializer, shape);
                Assert.IsTrue(values.All(v => v == expected), $"{initializer} on [{string.Join(", ", shape)}]");
            }
        }

        [TestMethod]
        [DynamicData(nameof(Cases))]
        public void Parameter_StaysALeafThatRequiresGrad(WeightInitializer initializer, float expected)
        {
            using var parameter = new TorchSharp.Modules.Parameter(torch.randn(4, 3));
            using var generator = new torch.Generator(1);
            initializer.Initialize(parameter, WeightInitContext.ForTensor(generator, parameter));
            Assert.IsTrue(parameter.requires_grad);
            Assert.IsTrue(parameter.is_leaf);
            Assert.AreEqual(expected, parameter[0, 0].item<float>());
        }

        [TestMethod]
        public void Constant_TextFormNeedsVal()
        {
            Assert.AreEqual("constant(val=0.25)", new ConstantInitializer(0.25).TextForm);
            var e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("constant"));
            StringAssert.Contains(e.Message, "'val' is required");
            Assert.AreEqual("zeros", new ZerosInitializer().TextForm);
            Assert.AreEqual("ones", new OnesInitializer().TextForm);
        }

        [TestMethod]
        public void Theory_IsTheConstant()
        {
            var theory = new ConstantInitializer(2).Describe(new long[] { 3, 3 }, ParameterRole.Weight, new long[] { 3, 3 });
            Assert.AreEqual(new DistributionTheory(DistributionFamily.Constant, 2, 0, 2, 2), theory);
        }
    }
}
