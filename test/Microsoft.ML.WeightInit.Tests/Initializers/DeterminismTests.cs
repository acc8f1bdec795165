using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>
    /// Same seed → bitwise-identical weights, whatever else drew random numbers in the process; and the global
    /// generator is never touched. Across processes: SHA-256 of the weights equals the one a separate Python
    /// process (the PyTorch oracle) computed.
    /// </summary>
    [TestClass]
    public sealed class DeterminismTests
    {
        private static IEnumerable<WeightInitializer> RandomSchemes => TextFormTests.Samples
            .Where(s => s is not (ZerosInitializer or OnesInitializer or ConstantInitializer or EyeInitializer or DiracInitializer or LsuvInitializer));

        [TestMethod]
        public void SameSeed_SameBits_WhateverRanBefore_AndTheGlobalGeneratorIsUntouched()
        {
            var shape = new long[] { 50, 500 };
            foreach (var scheme in RandomSchemes)
            {
                var first = Draws.Values(scheme, shape, seed: 11);
                torch.manual_seed(123);
                using (var noise = torch.rand(1000))
                using (var more = torch.randn(37, 3))
                {
                }
                using var expectedNext = torch.rand(5);
                torch.manual_seed(123);
                using (var noise = torch.rand(1000))
                using (var more = torch.randn(37, 3))
                {
                }
                var second = Draws.Values(scheme, shape, seed: 11);
                using var next = torch.rand(5);
                Assert.IsNull(TensorBytes.BitwiseDifference(first, second), scheme.TextForm);
                Assert.IsTrue(next.Equals(expectedNext), $"{scheme.TextForm} drew from the global generator");
                var other = Draws.Values(scheme, shape, seed: 12);
                Assert.IsNotNull(TensorBytes.BitwiseDifference(first, other), $"{scheme.TextForm}: seed ignored");
            }
        }

        [TestMethod]
        public void AcrossProcesses_Sha256EqualsTheOraclesForTheSamePlanAndSeed()
        {
            var oracle = TorchOracle.Require();
            var cases = oracle.OfKind("net").Where(c => !c.Params.Any(p => p.Value.ToString().Contains("orthogonal", System.StringComparison.Ordinal))).ToList();
            Assert.IsNotEmpty(cases);
            foreach (var c in cases)
            {
                string plan = c.Params.Count == 0 ? "pytorch_default" : string.Join("; ", c.Params.Select(p =>
                {
                    var parts = p.Value.EnumerateArray().ToList();
                    return p.Key + "=" + OracleCase.FormatInitializer(parts[0].GetString()!,
                        parts[1].EnumerateObject().Select(o => new KeyValuePair<string, System.Text.Json.JsonElement>(o.Name, o.Value)));
                }));
                using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
                using var generator = new torch.Generator((ulong)c.Seed);
                NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.Parse(plan));
                var ours = net.Layers.SelectMany(l => new torch.Tensor[] { l.Weight, l.Bias }).Select(TensorBytes.Sha256).ToList();
                CollectionAssert.AreEqual(c.Tensors.Select(t => t.Sha256).ToList(), ours, $"{c.Describe()}: {plan}");
            }
        }
    }
}
