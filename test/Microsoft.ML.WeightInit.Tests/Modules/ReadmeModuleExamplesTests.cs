using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Modules;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.WeightInit.Tests.Modules
{
    /// <summary>The README's "Initialize your own TorchSharp model" snippets, verbatim between the markers, so they compile and run.</summary>
    [TestClass]
    public sealed class ReadmeModuleExamplesTests
    {
        [TestMethod]
        public void SequentialCnnWithBatchNorm_InThreeLines()
        {
            // README: cnn begin
            var cnn = Sequential(
                Conv2d(1, 32, 3), BatchNorm2d(32), ReLU(), MaxPool2d(2),
                Conv2d(32, 64, 3), BatchNorm2d(64), ReLU(), MaxPool2d(2),
                Flatten(), Linear(64 * 5 * 5, 10));

            using var generator = new torch.Generator(42);
            var plan = InitializerPlan.Parse("Conv2d.weight=kaiming_normal(mode=fan_out, nonlinearity=relu); Linear.weight=xavier_uniform; *.bias=zeros");
            var report = plan.Apply(cnn, generator);   // one record per parameter: path, shape, initializer, fan_in/fan_out, rule
            // README: cnn end

            Assert.HasCount(cnn.parameters().Count(), report);
            Assert.AreEqual("kaiming_normal(a=0, mode=fan_out, nonlinearity=relu)", report.Single(r => r.Path == "0.weight").Initializer);
            Assert.AreEqual(32L * 9, report.Single(r => r.Path == "0.weight").FanOut);
            Assert.AreEqual("ones", report.Single(r => r.Path == "1.weight").Initializer);
            Assert.AreEqual("zeros", report.Single(r => r.Path == "9.bias").Initializer);
            cnn.Dispose();
        }

        [TestMethod]
        public void TransformerEncoder_InThreeLines()
        {
            // README: transformer begin
            var encoder = TransformerEncoder(TransformerEncoderLayer(d_model: 256, nhead: 8, dim_feedforward: 1024), num_layers: 6);

            using var generator = new torch.Generator(42);
            ModuleInitializer.ResetParameters(encoder, generator);   // = torch.manual_seed(42); nn.TransformerEncoder(...) in PyTorch 1.13, bit for bit
            InitializerPlan.Parse("Linear.weight=xavier_uniform; layers.*.self_attn.in_proj_weight=orthogonal; *.bias=zeros").Apply(encoder, generator);
            // README: transformer end

            var weights = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var w = weights["layers.5.self_attn.in_proj_weight"];
            using var gram = w.t().matmul(w);
            Assert.IsTrue(gram.allclose(torch.eye(256), atol: 1e-4), "in_proj_weight (768 × 256) has orthonormal columns");
            encoder.Dispose();
        }
    }
}
