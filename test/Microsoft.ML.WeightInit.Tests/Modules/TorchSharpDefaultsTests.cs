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
    /// <summary>
    /// Each TorchSharp 0.107 behaviour that differs from PyTorch 1.13 and that this library works around (the table in
    /// docs/initializers.md). Each test asserts that the difference is still there: when a TorchSharp upgrade fixes
    /// one, its test fails, and the docs (and perhaps the workaround) should change.
    /// </summary>
    [TestClass]
    public sealed class TorchSharpDefaultsTests
    {
        [TestMethod]
        public void GroupNorm_LeavesWeightAndBiasUninitialized_PyTorchHasOnesAndZeros()
        {
            // TorchSharp 0.107's GroupNorm allocates its affine parameters with torch.empty and never fills them;
            // PyTorch's reset_parameters gives ones and zeros. Uninitialized memory is whatever was there: allocate
            // enough that at least one of many constructions shows values other than ones/zeros.
            bool differs = false;
            for (int i = 0; i < 20 && !differs; i++)
            {
                using var norm = GroupNorm(2, 64);
                differs = TensorBytes.Values(norm.weight!).Any(v => v != 1) || TensorBytes.Values(norm.bias!).Any(v => v != 0);
            }
            Assert.IsTrue(differs, "TorchSharp's GroupNorm now initializes weight=1, bias=0 like PyTorch: update docs/initializers.md");

            using var fixedNorm = GroupNorm(2, 64);
            using var generator = new torch.Generator(1);
            ModuleInitializer.ResetParameters(fixedNorm, generator);
            Assert.IsTrue(TensorBytes.Values(fixedNorm.weight!).All(v => v == 1) && TensorBytes.Values(fixedNorm.bias!).All(v => v == 0));
        }

        [TestMethod]
        public void XavierNormal_DrawsAUniform()
        {
            torch.manual_seed(1);
            using var w = torch.empty(500, 800);
            torch.nn.init.xavier_normal_(w);
            double uniformBound = Math.Sqrt(6.0 / (500 + 800));
            double max = w.abs().max().item<float>();
            // A normal with std √(2/1300) over 400,000 values has about 8% of them beyond √3·std = the uniform bound.
            Assert.IsLessThanOrEqualTo(uniformBound + 1e-6, max, "TorchSharp's xavier_normal_ now draws beyond the uniform bound (a normal?): update docs");

            using var ours = torch.empty(500, 800);
            using var generator = new torch.Generator(1);
            new XavierNormalInitializer().Initialize(ours, WeightInitContext.ForTensor(generator, ours));
            Assert.IsGreaterThan(uniformBound * 1.5, (double)ours.abs().max().item<float>());
        }

        [TestMethod]
        public void CalculateGain_LeakyRelu_DefaultSlopeIsZero_PyTorchUsesOneHundredth()
        {
            double torchSharp = torch.nn.init.calculate_gain(torch.nn.init.NonlinearityType.LeakyReLU);
            Assert.AreEqual(Math.Sqrt(2.0), torchSharp, 0.0, "TorchSharp's calculate_gain(LeakyReLU) default slope changed: update docs");
            Assert.AreEqual(Math.Sqrt(2.0 / (1 + 0.01 * 0.01)), Gain.Calculate(Nonlinearity.LeakyRelu), 1e-15);
        }

        [TestMethod]
        public void InitUniformAndNormal_IgnoreTheGenerator()
        {
            float[] Draw(int globalSeed, bool normal)
            {
                torch.manual_seed(globalSeed);
                using var generator = new torch.Generator(5);
                using var t = torch.empty(16);
                if (normal)
                {
                    torch.nn.init.normal_(t, generator: generator);
                }
                else
                {
                    torch.nn.init.uniform_(t, generator: generator);
                }
                return TensorBytes.Values(t);
            }

            foreach (bool normal in new[] { false, true })
            {
                CollectionAssert.AreNotEqual(Draw(1, normal), Draw(2, normal),
                    $"TorchSharp's init.{(normal ? "normal_" : "uniform_")} now honours its generator (issue 413 fixed): update docs");
            }
        }

        [TestMethod]
        public void SeveralModules_HaveNoResetParameters()
        {
            // TorchSharp issue 505: no public reset_parameters on these modules (PyTorch has one on each).
            foreach (var type in new[]
            {
                typeof(TorchSharp.Modules.Linear), typeof(TorchSharp.Modules.Bilinear), typeof(TorchSharp.Modules.GroupNorm),
                typeof(TorchSharp.Modules.Embedding), typeof(TorchSharp.Modules.LSTM), typeof(TorchSharp.Modules.MultiheadAttention),
            })
            {
                Assert.IsNull(type.GetMethod("reset_parameters"), $"{type.Name} now has reset_parameters: update docs");
            }
        }

        [TestMethod]
        public void Construction_DrawsFromTheGlobalGenerator_OnlyAtConstruction()
        {
            // The one way TorchSharp reproduces PyTorch's draws is construction right after torch.manual_seed.
            torch.manual_seed(7);
            using var a = Linear(6, 4);
            torch.manual_seed(7);
            using var b = Linear(6, 4);
            CollectionAssert.AreEqual(TensorBytes.Values(a.weight!), TensorBytes.Values(b.weight!));
            using var generator = new torch.Generator(7);
            ModuleInitializer.ResetParameters(b, generator);
            CollectionAssert.AreEqual(TensorBytes.Values(a.weight!), TensorBytes.Values(b.weight!), "ResetParameters with a generator seeded 7 = construction after manual_seed(7)");
        }
    }
}
