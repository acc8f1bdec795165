using System;
using System.Diagnostics;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Modules
{
    /// <summary><c>weightinit init-stats --model</c>, run as a separate process.</summary>
    [TestClass]
    public sealed class InitStatsModelCommandTests
    {
        [TestMethod]
        public void TransformerEncoder_PrintsOneRowPerParameter_WithInitializerFansAndRule()
        {
            var (exitCode, output) = Run("init-stats", "--model", "transformer-encoder", "--plan", "Linear.weight=xavier_uniform; *.bias=zeros", "--seed", "3");

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
            var (exitCode, output) = Run("init-stats", "--model", "resnet");
            Assert.AreNotEqual(0, exitCode);
            StringAssert.Contains(output, "unknown model 'resnet'");
            StringAssert.Contains(output, "transformer-encoder");

            (exitCode, output) = Run("init-stats", "--model", "cnn-bn", "--plan", "Conv3d.weight=zeros");
            Assert.AreNotEqual(0, exitCode);
            StringAssert.Contains(output, "'Conv3d.weight=zeros' matches no parameter");
        }

        private static (int ExitCode, string Output) Run(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(ExamplesApp.AssemblyPath());
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["COLUMNS"] = "400";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("init-stats --model still runs after 3 minutes");
            }
            return (process.ExitCode, new StringBuilder(stdout).Append(stderr.Result).ToString());
        }
    }
}
