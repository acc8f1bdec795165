using System;
using System.Collections.Generic;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>InitializerPlan: text form both ways, shorthand, validation against the network.</summary>
    [TestClass]
    public sealed class InitializerPlanTests
    {
        private static readonly string[] s_layers = { "conv1", "conv2", "fc1", "fc2" };

        [TestMethod]
        public void TextForm_IsCanonicalAndRoundTrips()
        {
            var plan = new InitializerPlan(new KaimingNormalInitializer(0, FanMode.FanOut, Nonlinearity.Relu), new ZerosInitializer())
            {
                WeightOverrides = new Dictionary<string, IWeightInitializer> { ["fc1"] = new OrthogonalInitializer(), ["conv2"] = new LsuvInitializer() },
                BiasOverrides = new Dictionary<string, IWeightInitializer> { ["conv2"] = new ConstantInitializer(0.1) },
                ZeroLastLayer = true,
            };
            const string text = "weight=kaiming_normal(a=0, mode=fan_out, nonlinearity=relu); bias=zeros; conv2.weight=lsuv(tol=0.1, max_iterations=10); " +
                "conv2.bias=constant(val=0.1); fc1.weight=orthogonal(gain=1); zero_last_layer=true";
            Assert.AreEqual(text, plan.TextForm);
            Assert.AreEqual(text, plan.ToString());
            var parsed = InitializerPlan.Parse(text);
            Assert.AreEqual(plan, parsed);
            Assert.AreEqual(text, parsed.TextForm);
            Assert.AreEqual(plan.GetHashCode(), parsed.GetHashCode());
            Assert.AreEqual(InitializerPlan.PyTorchDefault, InitializerPlan.Parse(InitializerPlan.PyTorchDefault.TextForm));
        }

        [TestMethod]
        public void Shorthand_BareInitializerSetsTheWeights_RestStaysPyTorchDefault()
        {
            var plan = InitializerPlan.Parse("xavier_uniform");
            Assert.AreEqual(new XavierUniformInitializer(), plan.Weight);
            Assert.AreEqual(new PyTorchDefaultInitializer(), plan.Bias);
            Assert.AreEqual("weight=xavier_uniform(gain=1); bias=pytorch_default", plan.TextForm);
            Assert.AreEqual(InitializerPlan.PyTorchDefault, InitializerPlan.Parse("pytorch_default"));
            Assert.AreEqual("weight=pytorch_default; bias=zeros", InitializerPlan.Parse(" bias = zeros ; ").TextForm);
            Assert.AreEqual(InitializerPlan.Parse("weight=orthogonal(gain=2); bias=zeros"), InitializerPlan.Parse("orthogonal(gain=2); bias=zeros"));
            Assert.IsFalse(InitializerPlan.Parse("zero_last_layer=false").ZeroLastLayer);
        }

        [TestMethod]
        public void Errors_SayWhichEntryAndWhatIsValid()
        {
            var e = Assert.Throws<FormatException>(() => InitializerPlan.Parse("weights=zeros"));
            StringAssert.Contains(e.Message, "unknown target 'weights'");
            StringAssert.Contains(e.Message, "LAYER.weight");
            e = Assert.Throws<FormatException>(() => InitializerPlan.Parse("weight=zeros; conv1.weight=foo"));
            StringAssert.Contains(e.Message, "entry 'conv1.weight=foo'");
            StringAssert.Contains(e.Message, "Valid: constant, dirac, eye");
            e = Assert.Throws<FormatException>(() => InitializerPlan.Parse("xavier_uniform; weight=zeros"));
            StringAssert.Contains(e.Message, "given twice");
            e = Assert.Throws<FormatException>(() => InitializerPlan.Parse("fc1.bias=zeros; fc1.bias=ones"));
            StringAssert.Contains(e.Message, "given twice");
            e = Assert.Throws<FormatException>(() => InitializerPlan.Parse("zero_last_layer=yes"));
            StringAssert.Contains(e.Message, "true or false");
            Assert.Throws<FormatException>(() => InitializerPlan.Parse(" ; "));
            Assert.Throws<FormatException>(() => InitializerPlan.Parse(null!));
            Assert.Throws<FormatException>(() => InitializerPlan.Parse(new string(';', 20_000)));
            Assert.IsFalse(InitializerPlan.TryParse("weight=", out _, out string? error));
            Assert.IsNotNull(error);
        }

        [TestMethod]
        public void Validate_AgainstTheNetwork()
        {
            InitializerPlan.Parse("weight=zeros; conv2.weight=orthogonal").Validate(s_layers);
            var e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("conv3.weight=zeros").Validate(s_layers));
            StringAssert.Contains(e.Message, "unknown layer 'conv3'. Layers: conv1, conv2, fc1, fc2");
            e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("fc2.bias=ones; zero_last_layer=true").Validate(s_layers));
            StringAssert.Contains(e.Message, "zero_last_layer");
            e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("bias=lsuv").Validate(s_layers));
            StringAssert.Contains(e.Message, "cannot initialize a bias");
        }

        [TestMethod]
        public void Fuzz_PlanParser_OnlyFormatExceptions()
        {
            var random = new Random(7);
            var seeds = new[]
            {
                "weight=kaiming_normal(a=0, mode=fan_out, nonlinearity=relu); bias=zeros; conv2.weight=orthogonal(gain=1)",
                "xavier_uniform; zero_last_layer=true", "fc1.bias=constant(val=0.1); fc2.weight=sparse(sparsity=0.5)",
            };
            for (int i = 0; i < 20_000; i++)
            {
                string text = TextFormTests.Mutate(seeds[i % seeds.Length], random, "abcwlfz_.()=,; 01e-");
                try
                {
                    InitializerPlan.Parse(text);
                }
                catch (FormatException)
                {
                }
            }
        }
    }
}
