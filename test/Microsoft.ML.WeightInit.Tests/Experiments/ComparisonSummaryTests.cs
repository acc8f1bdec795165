using System;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>The statistics apart from training: mean ± std, Welch, Holm, the tables and the statement.</summary>
    [TestClass]
    public sealed class ComparisonSummaryTests
    {
        [TestMethod]
        public void MeanStd_IsTheMeanAndSampleStd_SkippingNaN()
        {
            var cell = MeanStd.Of(new[] { 0.10, 0.12, double.NaN, 0.14 });

            Assert.AreEqual(0.12, cell.Mean, 1e-15);
            Assert.AreEqual(0.02, cell.Std, 1e-15);   // √((0.02² + 0 + 0.02²) / 2)
            Assert.AreEqual(3, cell.N);
            Assert.IsTrue(double.IsNaN(MeanStd.Of(new[] { 0.5 }).Std));
            Assert.AreEqual(0, MeanStd.Of(Array.Empty<double>()).N);
        }

        [TestMethod]
        public void Tables_HaveEpochRowsAndInitializerColumns_WithHandComputedCells()
        {
            var summary = ComparisonSummary.Create(SyntheticComparison.ThreeSeeds());

            Assert.AreEqual(2, summary.Loss.Epochs);
            CollectionAssert.AreEqual(new[] { "a", "b", "z", "c" }, summary.Loss.Columns.ToArray());
            Assert.AreEqual(0.12, summary.Loss[2, "a"].Mean, 1e-12);
            Assert.AreEqual(0.02, summary.Loss[2, "a"].Std, 1e-12);
            Assert.AreEqual(0.22, summary.Loss[1, "a"].Mean, 1e-12);
            Assert.AreEqual(0.9816666666666667, summary.Accuracy[2, "a"].Mean, 1e-12);
            Assert.AreEqual(0.012583057392117927, summary.Accuracy[2, "a"].Std, 1e-12);
            Assert.AreEqual(0.0, summary.Loss[2, "z"].Std, 1e-15);
            // c's seed 3 diverged in epoch 2: epoch 1 has three values, epoch 2 two.
            Assert.AreEqual(3, summary.Loss[1, "c"].N);
            Assert.AreEqual(0.32, summary.Loss[1, "c"].Mean, 1e-12);
            Assert.AreEqual(2, summary.Loss[2, "c"].N);
            Assert.AreEqual(0.21, summary.Loss[2, "c"].Mean, 1e-12);
            Assert.AreEqual(2, summary.MicroAccuracy["c"].N);
        }

        [TestMethod]
        public void Welch_MatchesHandComputedStatistic_DegreesOfFreedomAndP()
        {
            var test = WelchTest.Of(new MeanStd(1.0, 0.1, 3), new MeanStd(1.5, 0.2, 3));

            Assert.AreEqual(-3.8729833462074166, test.T, 1e-12);
            Assert.AreEqual(2.941176470588235, test.DegreesOfFreedom, 1e-12);
            Assert.AreEqual(0.0315622, test.P, 1e-5);   // numerical integration of the t density, ν = 2.94
            Assert.AreEqual(0, WelchTest.Of(new MeanStd(1, 0, 3), new MeanStd(2, 0, 3)).P);
            Assert.AreEqual(1, WelchTest.Of(new MeanStd(1, 0, 3), new MeanStd(1, 0, 3)).P);
            Assert.ThrowsExactly<ArgumentException>(() => WelchTest.Of(new MeanStd(1, double.NaN, 1), new MeanStd(1, 0.1, 3)));
        }

        [TestMethod]
        public void Holm_AdjustsStepDown()
        {
            CollectionAssert.AreEqual(new[] { 0.03, 0.06, 0.06 }, HolmBonferroni.Adjust(new[] { 0.01, 0.04, 0.03 }).Select(p => Math.Round(p, 12)).ToArray());
        }

        [TestMethod]
        public void Differences_TestOnlyInitializersThatAlwaysLearned_AndFindTheClearOne()
        {
            var summary = ComparisonSummary.Create(SyntheticComparison.ThreeSeeds());

            CollectionAssert.AreEqual(new[] { "a", "b" }, summary.Tested.ToArray());
            var loss = summary.Differences.Single(d => d.Metric == ComparisonSummary.LossMetric);
            Assert.AreEqual(0.12, loss.ValuesA.Mean, 1e-12);
            Assert.AreEqual(0.51, loss.ValuesB.Mean, 1e-12);
            Assert.IsTrue(loss.Significant, $"p_adj {loss.AdjustedP}");
            string statement = string.Join("\n", summary.Statement());
            StringAssert.Contains(statement, "Welch");
            StringAssert.Contains(statement, "Holm");
            StringAssert.Contains(statement, "a (0.1200 ± 0.0200) < b (0.5100 ± 0.0100)");
            StringAssert.Contains(statement, "z: stuck ×3");
            StringAssert.Contains(statement, "c: learned ×2, diverged ×1 (seed 3: epoch 2, step 7)");
        }

        [TestMethod]
        public void OneSeed_ClaimsNoDifference()
        {
            var summary = ComparisonSummary.Create(SyntheticComparison.OneSeed());

            Assert.AreEqual(0, summary.Differences.Count);
            Assert.IsTrue(double.IsNaN(summary.Loss[1, "a"].Std));
            StringAssert.Contains(summary.Statement()[0], "One seed per initializer");
        }

        [TestMethod]
        public void Incomplete_IsSaidFirst()
        {
            var summary = ComparisonSummary.Create(SyntheticComparison.ThreeSeeds(complete: false));

            StringAssert.StartsWith(summary.Statement()[0], "INCOMPLETE: cancelled after 5 of 12 runs");
            Assert.AreEqual("not run", ComparisonSummary.Create(new ComparisonResult(SyntheticComparison.ThreeSeeds().Options,
                new[] { "a", "b", "z", "c" }, Array.Empty<RunResult>(), 12, false, SyntheticComparison.Profile, 1, 0)).StatusOf("a"));
        }

        [TestMethod]
        public void TestSetProfile_GivesMajorityShareAndPriorCrossEntropy()
        {
            var profile = new TestSetProfile(new long[] { 1, 1, 2 });

            Assert.AreEqual(0.5, profile.MajorityShare);
            Assert.AreEqual(2, profile.MajorityClass);
            Assert.AreEqual(1.0397207708399179, profile.PriorCrossEntropy, 1e-12);   // −(2·¼ ln ¼ + ½ ln ½)
        }

        [TestMethod]
        public void LearningCriterion_MarksNoBetterThanTheFloorsAsStuck()
        {
            var profile = new TestSetProfile(new long[] { 1135, 8865 });   // majority share 0.8865
            var c = LearningCriterion.Default;

            Assert.AreEqual(RunStatus.Stuck, c.Classify(0.1, 0.8865, profile).Status);
            Assert.AreEqual(RunStatus.Stuck, c.Classify(0.1, 0.9060, profile).Status);
            Assert.AreEqual(RunStatus.Stuck, c.Classify(profile.PriorCrossEntropy - 0.04, 0.99, profile).Status);
            Assert.AreEqual(RunStatus.Stuck, c.Classify(double.NaN, 0.99, profile).Status);
            Assert.AreEqual(RunStatus.Learned, c.Classify(0.1, 0.9070, profile).Status);
        }
    }
}
