using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>Successive halving's rungs and promotions, with made-up scores (no training).</summary>
    [TestClass]
    public sealed class SuccessiveHalvingTunerTests
    {
        private static readonly SweepCandidate[] Candidates = Enumerable.Range(1, 8)
            .Select(i => new SweepCandidate($"constant(val={i})", "zeros", 0.01, 0.5, 99)).ToArray();

        [TestMethod]
        public void Rungs_MultiplyTheBudget_ByTheFactor_UpToTheMaximum()
        {
            CollectionAssert.AreEqual(new[] { 1, 2, 4 }, new SuccessiveHalvingTuner(Candidates, 1, 4, 2).RungEpochs.ToArray());
            CollectionAssert.AreEqual(new[] { 1, 3, 4 }, new SuccessiveHalvingTuner(Candidates, 1, 4, 3).RungEpochs.ToArray());
            CollectionAssert.AreEqual(new[] { 2 }, new SuccessiveHalvingTuner(Candidates, 2, 2, 3).RungEpochs.ToArray());
        }

        [TestMethod]
        public void EachRung_KeepsTheBestShare_AndNeverPromotesADivergedCandidate()
        {
            var tuner = new SuccessiveHalvingTuner(Candidates, 1, 4, 2);
            // Score = the constant's value, except candidate 8 (the best) diverged at rung 0.
            var scores = new FakeScores(c => c.Weight == "constant(val=8)" ? double.NaN : double.Parse(c.Weight[13..^1]));

            var rung0 = tuner.Propose(scores);
            Assert.AreEqual(8, rung0.Count);
            Assert.IsTrue(rung0.All(b => b.Epochs == 1 && b.Rung == 0 && b.PreviousEpochs == 0 && !b.IsFinal));

            scores.Evaluate(rung0);
            var upToRung1 = tuner.Propose(scores);
            var rung1 = upToRung1.Where(b => b.Rung == 1).ToList();
            CollectionAssert.AreEquivalent(new[] { "constant(val=7)", "constant(val=6)", "constant(val=5)", "constant(val=4)" }, rung1.Select(b => b.Candidate.Weight).ToList());
            Assert.IsTrue(rung1.All(b => b.Epochs == 2 && b.PreviousEpochs == 1));

            scores.Evaluate(rung1);
            var rung2 = tuner.Propose(scores).Where(b => b.Rung == 2).ToList();
            CollectionAssert.AreEquivalent(new[] { "constant(val=7)", "constant(val=6)" }, rung2.Select(b => b.Candidate.Weight).ToList());
            Assert.IsTrue(rung2.All(b => b.Epochs == 4 && b.PreviousEpochs == 2 && b.IsFinal));

            scores.Evaluate(rung2);
            Assert.AreEqual(14, tuner.Propose(scores).Count, "every rung is proposed again, all evaluated: the sweep is over");
        }

        private sealed class FakeScores(Func<SweepCandidate, double> score) : ICandidateScores
        {
            private readonly HashSet<(SweepCandidate, int)> _done = new();

            public void Evaluate(IEnumerable<CandidateBudget> budgets)
            {
                foreach (var b in budgets)
                {
                    _done.Add((b.Candidate, b.Epochs));
                }
            }

            public bool IsEvaluated(SweepCandidate candidate, int epochs) => _done.Contains((candidate, epochs));

            public double Score(SweepCandidate candidate, int epochs) => IsEvaluated(candidate, epochs) ? score(candidate) : double.NaN;
        }
    }
}
