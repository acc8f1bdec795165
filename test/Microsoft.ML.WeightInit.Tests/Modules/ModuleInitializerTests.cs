using System;
using System.Linq;
using Microsoft.ML.WeightInit.Modules;
using Microsoft.ML.WeightInit.Tests.Initialization;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.WeightInit.Tests.Modules
{
    [TestClass]
    public sealed class ModuleInitializerTests
    {
        /// <summary>A custom module that registers its own parameter (no PyTorch default is known for it).</summary>
        private sealed class Scale : Module<torch.Tensor, torch.Tensor>
        {
            private readonly TorchSharp.Modules.Parameter scale = new(torch.full(3, 7.0f));

            public Scale()
                : base(nameof(Scale))
            {
                RegisterComponents();
            }

            public override torch.Tensor forward(torch.Tensor input) => input * scale;
        }

        [TestMethod]
        public void UnknownModule_IsAnError_NamingPathAndType_AndNothingIsDrawn()
        {
            using var model = Sequential(("fc", Linear(4, 3)), ("scale", new Scale()));
            var before = TensorBytes.Values(model.named_parameters().First().parameter);
            using var generator = new torch.Generator(1);

            var e = Assert.Throws<UnsupportedModuleException>(() => ModuleInitializer.ResetParameters(model, generator));

            Assert.AreEqual("scale.scale", e.ParameterPath);
            Assert.AreEqual("Scale", e.ModuleType);
            StringAssert.Contains(e.Message, "'scale.scale'");
            StringAssert.Contains(e.Message, "Scale");
            CollectionAssert.AreEqual(before, TensorBytes.Values(model.named_parameters().First().parameter));
        }

        [TestMethod]
        public void UnknownModule_LeftUntouched_WhenTheCallerSaysSo()
        {
            using var model = Sequential(("fc", Linear(4, 3)), ("scale", new Scale()), ("act", PReLU(1)));
            using var generator = new torch.Generator(1);

            var records = ModuleInitializer.ResetParameters(model, generator, UnknownModuleHandling.LeaveUntouched);

            Assert.AreEqual(ModuleInitializer.Untouched, records.Single(r => r.Path == "scale.scale").Initializer);
            Assert.AreEqual(ModuleInitializer.Untouched, records.Single(r => r.Path == "act.weight").Initializer);
            CollectionAssert.AreEqual(new[] { 7f, 7f, 7f }, TensorBytes.Values(model.named_parameters().Single(p => p.name == "scale.scale").parameter));
            Assert.StartsWith("kaiming_uniform", records.Single(r => r.Path == "fc.weight").Initializer);
        }

        [TestMethod]
        public void DrawsOnlyFromTheGivenGenerator()
        {
            byte[] Reset(int globalSeed)
            {
                torch.manual_seed(globalSeed);
                using var model = TransformerEncoder(TransformerEncoderLayer(8, 2, 16), 2);
                using var generator = new torch.Generator(3);
                ModuleInitializer.ResetParameters(model, generator);
                return model.parameters().SelectMany(TensorBytes.Bytes).ToArray();
            }

            CollectionAssert.AreEqual(Reset(1), Reset(99));

            torch.manual_seed(5);
            using (Linear(3, 3))
            {
            }
            using var expected = torch.rand(4);
            torch.manual_seed(5);
            using var model = Linear(3, 3);
            using var generator = new torch.Generator(8);
            ModuleInitializer.ResetParameters(model, generator);
            using var after = torch.rand(4);
            CollectionAssert.AreEqual(TensorBytes.Values(expected), TensorBytes.Values(after), "the global generator moved");
        }

        [TestMethod]
        public void Records_GiveInitializerAndFans_PerParameter()
        {
            using var model = new Tree(("fc", Linear(8, 5)), ("attn", MultiheadAttention(8, 2)), ("enc", TransformerEncoder(TransformerEncoderLayer(8, 2, 16), 2)));
            using var generator = new torch.Generator(1);

            var records = ModuleInitializer.ResetParameters(model, generator).ToDictionary(r => r.Path);

            var w = records["fc.weight"];
            Assert.AreEqual("Linear", w.ModuleType);
            Assert.AreEqual("kaiming_uniform(a=2.23606797749979, mode=fan_in, nonlinearity=leaky_relu)", w.Initializer);
            Assert.AreEqual(8L, w.FanIn);
            Assert.AreEqual(5L, w.FanOut);
            Assert.IsNull(w.Rule);
            var b = records["fc.bias"];
            Assert.AreEqual($"uniform(a={-1 / Math.Sqrt(8):R}, b={1 / Math.Sqrt(8):R})", b.Initializer);
            Assert.AreEqual(8L, b.FanIn);
            Assert.AreEqual("xavier_uniform(gain=1)", records["attn.in_proj_weight"].Initializer);
            Assert.AreEqual(8L, records["attn.in_proj_weight"].FanIn);
            Assert.AreEqual(24L, records["attn.in_proj_weight"].FanOut);
            Assert.AreEqual("zeros", records["attn.out_proj.bias"].Initializer);
            Assert.AreEqual("Linear", records["attn.out_proj.weight"].ModuleType);
            Assert.AreEqual("MultiheadAttention", records["enc.layers.1.self_attn.in_proj_weight"].ModuleType);
            Assert.AreEqual("ones", records["enc.layers.1.norm2.weight"].Initializer);
            Assert.AreEqual(records["enc.layers.0.linear1.bias"].Initializer, records["enc.layers.1.linear1.bias"].Initializer);
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            CollectionAssert.AreEqual(TensorBytes.Values(parameters["enc.layers.0.linear1.weight"]), TensorBytes.Values(parameters["enc.layers.1.linear1.weight"]),
                "TransformerEncoder layers are deep copies of one drawn layer, as in PyTorch");
        }

        [TestMethod]
        public void BatchNorm_RunningStatistics_AreResetToo()
        {
            using var model = Sequential(("bn", BatchNorm1d(3)));
            using (torch.no_grad())
            {
                foreach (var (_, buffer) in model.named_buffers())
                {
                    buffer.fill_(5);
                }
            }
            using var generator = new torch.Generator(1);

            ModuleInitializer.ResetParameters(model, generator);

            var buffers = model.named_buffers().ToDictionary(b => b.name, b => TensorBytes.Values(b.buffer));
            CollectionAssert.AreEqual(new[] { 0f, 0f, 0f }, buffers["bn.running_mean"]);
            CollectionAssert.AreEqual(new[] { 1f, 1f, 1f }, buffers["bn.running_var"]);
        }

        [TestMethod]
        public void NullArguments_Throw()
        {
            using var model = Linear(2, 2);
            using var generator = new torch.Generator(1);
            Assert.Throws<ArgumentNullException>(() => ModuleInitializer.ResetParameters(null!, generator));
            Assert.Throws<ArgumentNullException>(() => ModuleInitializer.ResetParameters(model, null!));
        }
    }
}
