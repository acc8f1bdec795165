using System;
using System.Linq;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>Search-space text forms, grids and seeded draws (no training).</summary>
    [TestClass]
    public sealed class InitializerSearchSpaceTests
    {
        private const string Space =
            "weight=kaiming_uniform(a=0..2.236, mode=fan_in|fan_out) | xavier_uniform(gain=0.5..2) | zeros | ones; bias=zeros | pytorch_default; lr=0.001..0.1:log; momentum=0.5|0.9; epochs=1..3:int";

        [TestMethod]
        public void Parse_ReadsEveryEntry_AndTheTextFormRoundTrips()
        {
            var space = InitializerSearchSpace.Parse(Space);

            Assert.AreEqual(4, space.Weights.Count);
            Assert.AreEqual("kaiming_uniform", space.Weights[0].Scheme);
            Assert.AreEqual("0..2.236", space.Weights[0].Parameters[0].Value.TextForm);
            Assert.AreEqual(2, space.Biases.Count);
            Assert.IsTrue(space.LearningRate.IsRange && space.LearningRate.LogScale);
            Assert.AreEqual(space.TextForm, InitializerSearchSpace.Parse(space.TextForm).TextForm);
        }

        [TestMethod]
        public void Grid_IsTheCartesianProduct_WithRangesAtEvenlySpacedPoints()
        {
            var space = InitializerSearchSpace.Parse("weight=kaiming_uniform(a=0..2, mode=fan_in|fan_out) | zeros; lr=0.01; momentum=0.5; epochs=2");

            var grid = space.Grid(stepsPerRange: 3);

            // kaiming: 3 values of a × 2 modes, plus zeros; one bias, one lr, one momentum, one epoch budget.
            Assert.AreEqual(7, grid.Count);
            CollectionAssert.Contains(grid.Select(c => c.Weight).ToList(), "kaiming_uniform(a=1, mode=fan_out, nonlinearity=leaky_relu)");
            Assert.IsTrue(grid.All(c => c.Bias == "zeros" && c.NumberOfEpochs == 2 && c.LearningRate == 0.01));
        }

        [TestMethod]
        public void RandomDraws_AreSeeded_Canonical_AndVisitEverySchemeEachRound()
        {
            var space = InitializerSearchSpace.Parse(Space);

            var a = new RandomTuner(space, 8, seed: 3).Candidates;
            var b = new RandomTuner(space, 8, seed: 3).Candidates;
            var c = new RandomTuner(space, 8, seed: 4).Candidates;
            var longer = new RandomTuner(space, 12, seed: 3).Candidates;

            CollectionAssert.AreEqual(a.ToList(), b.ToList());
            CollectionAssert.AreNotEqual(a.ToList(), c.ToList());
            CollectionAssert.AreEqual(a.ToList(), longer.Take(8).ToList(), "extending a sweep keeps its first candidates");
            // Two rounds of four schemes: each scheme exactly twice.
            var schemes = a.Select(x => x.Weight.Split('(')[0]).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
            Assert.AreEqual(4, schemes.Count);
            Assert.IsTrue(schemes.Values.All(n => n == 2), string.Join(", ", schemes));
            foreach (var candidate in a)
            {
                Assert.AreEqual(Initializers.WeightInitializer.Parse(candidate.Weight).TextForm, candidate.Weight, "canonical text form");
                Assert.IsTrue(candidate.LearningRate >= 0.001 && candidate.LearningRate <= 0.1);
                Assert.IsTrue(candidate.NumberOfEpochs is >= 1 and <= 3);
            }
        }

        [TestMethod]
        public void RandomDraws_GiveASchemeWithNothingNewLeftsTurnToTheNextOne()
        {
            var space = InitializerSearchSpace.Parse("weight=zeros | ones | xavier_uniform(gain=0.5..2); bias=zeros; epochs=2");

            var candidates = new RandomTuner(space, 6, seed: 1).Candidates;
            var tiny = new RandomTuner(InitializerSearchSpace.Parse("weight=zeros | ones"), 5, seed: 1).Candidates;

            Assert.AreEqual(6, candidates.Count);
            Assert.AreEqual(1, candidates.Count(c => c.Weight == "zeros"));
            Assert.AreEqual(1, candidates.Count(c => c.Weight == "ones"));
            Assert.AreEqual(6, candidates.Select(c => c.Key).Distinct().Count());
            Assert.AreEqual(2, tiny.Count, "a finite space gives what it has");
        }

        [TestMethod]
        public void InvalidDomains_AreRejected_WithTheSchemesMessage()
        {
            var unknown = Assert.ThrowsExactly<FormatException>(() => InitializerDomain.Parse("glorot(gain=1)"));
            StringAssert.Contains(unknown.Message, "Unknown initializer 'glorot'");
            var parameter = Assert.ThrowsExactly<FormatException>(() => InitializerDomain.Parse("xavier_uniform(std=0.1..1)"));
            StringAssert.Contains(parameter.Message, "unknown parameter 'std'");
            var mode = Assert.ThrowsExactly<FormatException>(() => InitializerDomain.Parse("kaiming_uniform(mode=fan_in|fan_sideways)"));
            StringAssert.Contains(mode.Message, "fan_sideways");
            Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=zeros; momentum=0.5..1.5"));
            Assert.ThrowsExactly<ArgumentException>(() => ParameterDomain.Parse("0.1..0.01"));
            Assert.ThrowsExactly<ArgumentException>(() => ParameterDomain.Parse("0..1:log"));
        }

        [TestMethod]
        public void CandidateKey_IsAnInitializerPlanTextFormPlusSgdSettings()
        {
            var candidate = new SweepCandidate("xavier_uniform(gain=1)", "zeros", 0.01, 0.5, 2);

            Assert.AreEqual("weight=xavier_uniform(gain=1); bias=zeros; lr=0.01; momentum=0.5; epochs=2", candidate.Key);
            var options = candidate.ToTrainerOptions(seed: 7);
            Assert.AreEqual("xavier_uniform(gain=1)", options.WeightInitializer.TextForm);
            Assert.AreEqual(7, options.Seed);
            Assert.AreEqual(2, options.NumberOfEpochs);
        }
    }
}
