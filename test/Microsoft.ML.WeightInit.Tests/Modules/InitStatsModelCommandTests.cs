using System;
using System.Diagnostics;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

using static Microsoft.ML.WeightInit.Tests.ChildProcess;

namespace Microsoft.ML.WeightInit.Tests.Modules
{
    /// <summary><c>weightinit init-stats --model</c>, run as a separate process.</summary>
    [TestClass]
    public sealed class InitStatsModelCommandTests
    {
        [TestMethod]
        public void TransformerEncoder_PrintsOneRowPerParameter_WithInitializerFansAndRule()
        {
            var (exitCode, output) = RunCli("init-stats", "--model", "transformer-encoder", "--plan", "Linear.weight=xavier_uniform; *.bias=zeros", "--seed", "3");

            Assert.AreEqual(0, exitCode, output);
            StringAssert.Contains(output, "layers.1.self_attn.out_proj.weight");
            StringAssert.Contains(output, "layers.0.norm2.bias");
            StringAssert.Contains(output, "xavier_uniform(gain=1)");
            StringAssert.Contains(output, "Linear.weight");
            StringAssert.Contains(output, "*.bias");
            StringAssert.Contains(output, "MultiheadAttention");
            StringAssert.Contains(output, "fan_in");
        }

        [TestMethod]
        public void BadModelOrRule_IsAnErrorNamingIt()
        {
            var (exitCode, output) = RunCli("init-stats", "--model", "resnet");
            Assert.AreNotEqual(0, exitCode);
            StringAssert.Contains(output, "unknown model 'resnet'");
            StringAssert.Contains(output, "transformer-encoder");

            (exitCode, output) = RunCli("init-stats", "--model", "cnn-bn", "--plan", "Conv3d.weight=zeros");
            Assert.AreNotEqual(0, exitCode);
            StringAssert.Contains(output, "'Conv3d.weight=zeros' matches no parameter");
        }
    }
}
