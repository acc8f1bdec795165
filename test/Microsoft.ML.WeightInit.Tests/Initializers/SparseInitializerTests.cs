using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>sparse: exactly ⌈sparsity·rows⌉ zeros per column, normal non-zeros, 2-D only.</summary>
    [TestClass]
    public sealed class SparseInitializerTests
    {
        [TestMethod]
        [DataRow(500, 800, 0.1, 50)]
        [DataRow(500, 800, 0.9, 450)]
        [DataRow(7, 3, 0.1, 1)]
        [DataRow(7, 3, 0.0, 0)]
        [DataRow(7, 3, 1.0, 7)]
        [DataRow(10, 500, 0.25, 3)]
        public void EveryColumn_HasExactlyCeilSparsityTimesRowsZeros(int rows, int cols, double sparsity, int zeros)
        {
            var initializer = new SparseInitializer(sparsity);
            Assert.AreEqual(zeros, initializer.ZerosPerColumn(rows));
            var values = Draws.Values(initializer, new long[] { rows, cols });
            for (int col = 0; col < cols; col++)
            {
                int count = Enumerable.Range(0, rows).Count(r => values[r * cols + col] == 0);
                Assert.AreEqual(zeros, count, $"column {col}");
            }
        }

        [TestMethod]
        public void NonZeros_AreNormalWithStd()
        {
            var initializer = new SparseInitializer(0.1, 0.01);
            var values = Draws.Values(initializer, Draws.Fc1);
            var nonZeros = values.Where(v => v != 0).ToArray();
            Assert.HasCount(450 * 800, nonZeros);
            KolmogorovSmirnov.AssertFits(nonZeros, KolmogorovSmirnov.Normal(0, 0.01), "sparse non-zeros");
            var theory = initializer.Describe(Draws.Fc1, ParameterRole.Weight, Draws.Fc1);
            Assert.AreEqual(0.01 * Math.Sqrt(0.9), theory.Std, 1e-15);
            Draws.AssertMoments(values, 0, theory.Std, "sparse");
        }

        [TestMethod]
        public void ZeroRows_DifferBetweenColumns()
        {
            var values = Draws.Values(new SparseInitializer(0.5), new long[] { 40, 30 });
            var patterns = Enumerable.Range(0, 30)
                .Select(c => string.Concat(Enumerable.Range(0, 40).Select(r => values[r * 30 + c] == 0 ? '0' : 'x')))
                .Distinct().Count();
            Assert.IsGreaterThan(25, patterns);
        }

        [TestMethod]
        public void ErrorPaths()
        {
            Draws.AssertRejected(() => Draws.Fill(new SparseInitializer(0.1), new long[] { 20, 1, 5, 5 }, "conv1"),
                "Only tensors with 2 dimensions are supported", "'conv1.weight' has shape [20, 1, 5, 5]");
            Draws.AssertRejected(() => Draws.Fill(new SparseInitializer(0.1), new long[] { 20 }, "conv1", ParameterRole.Bias, new long[] { 20, 1, 5, 5 }),
                "Only tensors with 2 dimensions are supported", "'conv1.bias' has shape [20]");
            Draws.AssertRejected(() => Draws.Fill(new SparseInitializer(1.5), Draws.Fc1), "sparsity must be in [0, 1]");
            Draws.AssertRejected(() => Draws.Fill(new SparseInitializer(0.1, -1), Draws.Fc1), "normal expects std >= 0.0");
            var e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("sparse(std=0.1)"));
            StringAssert.Contains(e.Message, "'sparsity' is required");
            Assert.AreEqual("sparse(sparsity=0.1, std=0.01)", WeightInitializer.Parse("sparse(sparsity=0.1)").TextForm);
        }
    }
}
