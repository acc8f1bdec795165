using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>orthogonal: WWᵀ or WᵀW = gain²·I, Haar marginals, flattening, empty and 1-D tensors.</summary>
    [TestClass]
    public sealed class OrthogonalInitializerTests
    {
        [TestMethod]
        [DataRow(new long[] { 500, 800 }, 1.0)]
        [DataRow(new long[] { 800, 500 }, 1.0)]
        [DataRow(new long[] { 50, 20, 5, 5 }, 1.4142135623730951)]
        [DataRow(new long[] { 20, 1, 5, 5 }, 1.0)]
        [DataRow(new long[] { 7, 3 }, 2.0)]
        [DataRow(new long[] { 3, 7 }, 1.0)]
        [DataRow(new long[] { 6, 2, 2, 2, 2 }, 1.0)]
        public void Matrix_IsSemiOrthogonalTimesGain(long[] shape, double gain)
        {
            using var scope = torch.NewDisposeScope();
            var tensor = Draws.Tensor(new OrthogonalInitializer(gain), shape);
            long rows = shape[0], cols = tensor.numel() / rows;
            var w = tensor.reshape(rows, cols).to_type(torch.float64);
            var gram = rows <= cols ? w.matmul(w.t()) : w.t().matmul(w);
            var identity = torch.eye(Math.Min(rows, cols), dtype: torch.float64) * (gain * gain);
            double error = (gram - identity).abs().max().item<double>();
            Assert.IsLessThan(1e-4, error, $"[{string.Join(", ", shape)}] gain {gain}: max |Gram − gain²I| = {error:E2}");
        }

        [TestMethod]
        public void Entries_FollowTheHaarMarginal()
        {
            // Rows of a wide Haar semi-orthogonal 500 × 800 matrix are uniform on the unit sphere of ℝ⁸⁰⁰.
            var values = Draws.Values(new OrthogonalInitializer(), Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.SphereCoordinate(800, 1.0), "orthogonal 500 × 800");
            var theory = new OrthogonalInitializer().Describe(Draws.Fc1, ParameterRole.Weight, Draws.Fc1);
            Assert.AreEqual(1 / Math.Sqrt(800), theory.Std, 1e-15);
            Assert.AreEqual(theory.Std, Math.Sqrt(values.Average(v => (double)v * v)), 1e-6);
        }

        [TestMethod]
        public void SignFix_MakesDiagonalOfRPositive()
        {
            // With d = sign(diag(R)), Q·diag(d) is the Q of a QR whose R has a positive diagonal: Qᵀ·A has one.
            using var scope = torch.NewDisposeScope();
            using var generator = new torch.Generator(5);
            var w = torch.empty(8, 5);
            new OrthogonalInitializer().Initialize(w, WeightInitContext.ForTensor(generator, w));
            using var again = new torch.Generator(5);
            var a = torch.empty(8, 5).normal_(0, 1, again);
            var diagonal = w.t().matmul(a).diag();
            Assert.IsTrue(diagonal.data<float>().ToArray().All(d => d > 0), string.Join(", ", diagonal.data<float>().ToArray()));
        }

        [TestMethod]
        public void EmptyIsANoOp_OneDimensionIsRejected()
        {
            Assert.IsEmpty(Draws.Values(new OrthogonalInitializer(), new long[] { 0, 5 }));
            Draws.AssertRejected(() => Draws.Fill(new OrthogonalInitializer(), new long[] { 20 }, "conv1", ParameterRole.Bias, new long[] { 20, 1, 5, 5 }),
                "Only tensors with 2 or more dimensions are supported", "'conv1.bias' has shape [20]");
        }
    }
}
