using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Modules;
using Microsoft.ML.WeightInit.Tests.Initialization;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.WeightInit.Tests.Modules
{
    [TestClass]
    public sealed class PlanApplyTests
    {
        private static Module Model() => Sequential(
            ("conv", Conv2d(1, 2, 3)), ("bn", BatchNorm2d(2)), ("fc1", Linear(4, 4)), ("fc2", Linear(4, 3)), ("out", Linear(3, 2)));

        private static float[] Values(Module model, string path) => TensorBytes.Values(model.named_parameters().Single(p => p.name == path).parameter);

        [TestMethod]
        public void Precedence_ExactOverGlobOverTypeOverPlanWideOverDefault()
        {
            using var model = Model();
            using var generator = new torch.Generator(1);
            var plan = InitializerPlan.Parse(
                "weight=constant(val=1); Linear.weight=constant(val=2); fc*.weight=constant(val=3); fc2.weight=constant(val=4); BatchNorm2d=constant(val=5)");

            var records = plan.Apply(model, generator).ToDictionary(r => r.Path);

            Assert.IsTrue(Values(model, "fc2.weight").All(v => v == 4), "exact beats glob");
            Assert.IsTrue(Values(model, "fc1.weight").All(v => v == 3), "glob beats type");
            Assert.IsTrue(Values(model, "out.weight").All(v => v == 2), "type beats plan-wide");
            Assert.IsTrue(Values(model, "conv.weight").All(v => v == 1), "plan-wide beats default");
            Assert.IsTrue(Values(model, "bn.weight").All(v => v == 5) && Values(model, "bn.bias").All(v => v == 5), "a bare type selects all its parameters, over plan-wide");
            Assert.AreEqual("fc2.weight", records["fc2.weight"].Rule);
            Assert.AreEqual("fc*.weight", records["fc1.weight"].Rule);
            Assert.AreEqual("Linear.weight", records["out.weight"].Rule);
            Assert.AreEqual("weight", records["conv.weight"].Rule);
            Assert.IsNull(records["conv.bias"].Rule, "no rule: PyTorch's default");
            Assert.StartsWith("uniform(", records["conv.bias"].Initializer);
        }

        [TestMethod]
        public void Precedence_WithinALevel_MostSpecificWins_TieIsAnError()
        {
            using var model = Model();
            using var generator = new torch.Generator(1);
            InitializerPlan.Parse("fc*=zeros; fc2.*=ones").Apply(model, generator);
            Assert.IsTrue(Values(model, "fc2.bias").All(v => v == 1), "the glob with more literal characters wins");
            Assert.IsTrue(Values(model, "fc1.bias").All(v => v == 0));

            InitializerPlan.Parse("fc2=zeros; fc2.bias=ones").Apply(model, generator);
            Assert.IsTrue(Values(model, "fc2.bias").All(v => v == 1), "the longer exact path wins");
            Assert.IsTrue(Values(model, "fc2.weight").All(v => v == 0));

            var e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("fc2.b*=zeros; *.bias=ones").Apply(model, generator));
            StringAssert.Contains(e.Message, "'fc2.bias'");
            StringAssert.Contains(e.Message, "fc2.b*");
            StringAssert.Contains(e.Message, "*.bias");
        }

        [TestMethod]
        public void RuleThatMatchesNothing_IsAnError_NamingTheRule()
        {
            using var model = Model();
            using var generator = new torch.Generator(1);
            var before = Values(model, "fc1.weight");

            var e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("Linear.weight=zeros; Conv3d.weight=orthogonal").Apply(model, generator));

            StringAssert.Contains(e.Message, "'Conv3d.weight=orthogonal(gain=1)' matches no parameter");
            StringAssert.Contains(e.Message, "Conv2d");
            CollectionAssert.AreEqual(before, Values(model, "fc1.weight"), "nothing drawn before the plan was checked");
            e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("encoder.layers.*.self_attn.in_proj_weight=orthogonal").Apply(model, generator));
            StringAssert.Contains(e.Message, "encoder.layers.*.self_attn.in_proj_weight");
            e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("conv9.weight=zeros").Apply(model, generator));
            StringAssert.Contains(e.Message, "conv9.weight");
        }

        [TestMethod]
        public void InitializerThatRejectsTheShape_NamesTheParameterPath()
        {
            using var model = new Tree(("encoder", TransformerEncoder(TransformerEncoderLayer(8, 2, 16), 1)));
            using var generator = new torch.Generator(1);

            var e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("LayerNorm.weight=xavier_uniform").Apply(model, generator));

            StringAssert.Contains(e.Message, "'encoder.layers.0.norm1.weight'");
            StringAssert.Contains(e.Message, "[8]");
        }

        [TestMethod]
        public void DataDependentInitializer_IsRejected()
        {
            using var model = Model();
            using var generator = new torch.Generator(1);
            var e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("Linear.weight=lsuv").Apply(model, generator));
            StringAssert.Contains(e.Message, "calibration batch");
        }

        [TestMethod]
        public void ZeroLastLayer_ZerosTheLastModuleWithParameters()
        {
            using var model = Model();
            using var generator = new torch.Generator(1);
            var records = InitializerPlan.Parse("xavier_uniform; bias=zeros; BatchNorm2d.weight=ones; zero_last_layer=true").Apply(model, generator);
            Assert.IsTrue(Values(model, "out.weight").All(v => v == 0) && Values(model, "out.bias").All(v => v == 0));
            Assert.IsTrue(Values(model, "fc2.weight").Any(v => v != 0));
            Assert.AreEqual("zeros", records.Single(r => r.Path == "out.weight").Initializer);
            var e = Assert.Throws<ArgumentException>(() => InitializerPlan.Parse("out.weight=ones; zero_last_layer=true").Apply(model, generator));
            StringAssert.Contains(e.Message, "zero_last_layer");
        }

        [TestMethod]
        public void UnknownModule_WithARule_IsInitializedByTheRule()
        {
            using var model = Sequential(("fc", Linear(3, 3)), ("act", PReLU(3)));
            using var generator = new torch.Generator(1);
            Assert.Throws<UnsupportedModuleException>(() => InitializerPlan.Parse("Linear.weight=zeros").Apply(model, generator));
            var records = InitializerPlan.Parse("PReLU.weight=constant(val=0.25)").Apply(model, generator);
            Assert.IsTrue(Values(model, "act.weight").All(v => v == 0.25f));
            Assert.AreEqual("PReLU", records.Single(r => r.Path == "act.weight").ModuleType);
        }

        [TestMethod]
        public void TextForm_RoundTrips_WithModuleRules_AndSeedNetPlansKeepTheirMeaning()
        {
            var plan = InitializerPlan.Parse(
                "Conv2d.weight=kaiming_normal(mode=fan_out, nonlinearity=relu); Linear.weight=xavier_uniform; *.bias=zeros; " +
                "BatchNorm2d.weight=ones; encoder.layers.*.self_attn.in_proj_weight=orthogonal; fc2=zeros");
            Assert.AreEqual(
                "weight=pytorch_default; bias=pytorch_default; *.bias=zeros; BatchNorm2d.weight=ones; " +
                "Conv2d.weight=kaiming_normal(a=0, mode=fan_out, nonlinearity=relu); Linear.weight=xavier_uniform(gain=1); " +
                "encoder.layers.*.self_attn.in_proj_weight=orthogonal(gain=1); fc2=zeros",
                plan.TextForm);
            Assert.AreEqual(plan, InitializerPlan.Parse(plan.TextForm));
            Assert.AreNotEqual(plan, InitializerPlan.Parse(plan.TextForm.Replace("fc2=zeros", "fc2=ones", StringComparison.Ordinal)));
            Assert.IsEmpty(plan.WeightOverrides, "Linear.weight is a type rule, not a layer override");

            var seed = InitializerPlan.Parse("weight=xavier_uniform; bias=zeros; conv2.weight=orthogonal");
            Assert.AreEqual(new OrthogonalInitializer(), seed.WeightOverrides["conv2"]);
            seed.Validate(new[] { "conv1", "conv2", "fc1", "fc2" });
            var e = Assert.Throws<ArgumentException>(() => plan.Validate(new[] { "conv1", "conv2", "fc1", "fc2" }));
            StringAssert.Contains(e.Message, "InitializerPlan.Apply");

            var dup = Assert.Throws<FormatException>(() => InitializerPlan.Parse("*.bias=zeros; *.bias=ones"));
            StringAssert.Contains(dup.Message, "given twice");
            var bad = Assert.Throws<FormatException>(() => InitializerPlan.Parse("fc..weight=zeros"));
            StringAssert.Contains(bad.Message, "unknown target 'fc..weight'");
            bad = Assert.Throws<FormatException>(() => InitializerPlan.Parse("biases=zeros"));
            StringAssert.Contains(bad.Message, "unknown target 'biases'");
        }
    }
}
