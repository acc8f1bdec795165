using System;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Reliability
{
    /// <summary>Messages composed from other messages end with exactly one period (no "..").</summary>
    [TestClass]
    public sealed class MessagePunctuationTests
    {
        [TestMethod]
        [DataRow("kaiming_uniform(mode=bogus)", "Valid: fan_in, fan_out.")]
        [DataRow("kaiming_normal(nonlinearity=bogus)", "Valid: conv1d,")]
        [DataRow("variance_scaling(mode=bogus)", "Valid: fan_avg, fan_in, fan_out.")]
        [DataRow("variance_scaling(distribution=bogus)", "Valid: normal, truncated_normal, uniform.")]
        public void AnInvalidWordArgument_ListsTheValidWords_EndingWithOnePeriod(string text, string expected)
        {
            var e = Assert.ThrowsExactly<FormatException>(() => WeightInitializer.Parse(text));

            StringAssert.Contains(e.Message, expected);
            StringAssert.EndsWith(e.Message, ".");
            Assert.DoesNotContain("..", e.Message);
        }

        [TestMethod]
        public void EveryInitializer_WithBadArguments_GivesMessagesWithoutADoublePeriod()
        {
            string[] arguments = { "bogus=1", "mode=bogus", "nonlinearity=bogus", "distribution=bogus", "gain=x", "a=x", "gain=-1", "sparsity=2", "groups=0", "std=-1" };
            int failures = 0;
            foreach (string name in InitializerRegistry.Names)
            {
                foreach (string argument in arguments)
                {
                    if (!WeightInitializer.TryParse($"{name}({argument})", out _, out string? error))
                    {
                        failures++;
                        Assert.DoesNotContain("..", error!, $"{name}({argument})");
                        StringAssert.EndsWith(error, ".", $"{name}({argument})");
                    }
                }
            }
            Assert.IsGreaterThan(InitializerRegistry.Names.Count, failures, "the texts were meant to be rejected");
        }

        [TestMethod]
        public void ADirectoryOfFilesThatAreNotIdx_IsReportedAsFragmentsWithoutFinalPeriods()
        {
            string directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "weightinit-punctuation-" + Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                foreach (string name in MnistFiles.All)
                {
                    File.WriteAllText(Path.Combine(directory, name), "xxxxxxxxxxxxxxxx");
                }

                string reason = MnistFileStore.CheckDirectory(directory, expectedSha256: null)!;

                StringAssert.Contains(reason, "is not an IDX file");
                Assert.DoesNotContain(".;", reason);
                Assert.IsFalse(reason.EndsWith('.'), $"a fragment callers end with their own period: {reason}");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
