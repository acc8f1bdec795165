using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Proposes what to evaluate, as AutoML's tuners do: candidates with an epoch budget, in batches (rungs) whose
    /// trials are independent of each other. A tuner is a function of the scores so far, so a resumed sweep gets the
    /// same proposals back.
    /// </summary>
    public interface ITuner
    {
        /// <summary>Short text form, e.g. <c>random(candidates=8, seed=1)</c>.</summary>
        string Description { get; }

        /// <summary>Every candidate the tuner may propose.</summary>
        IReadOnlyList<SweepCandidate> Candidates { get; }

        /// <summary>
        /// Every (candidate, budget) pair the sweep reaches given the scores so far: all rungs up to and including the
        /// first one not fully evaluated (grid and random: a single rung). The sweep runs the first rung with missing
        /// trials, asks again, and is over when every pair returned is evaluated.
        /// </summary>
        /// <param name="scores">What the sweep knows so far.</param>
        /// <returns>The pairs, rung by rung.</returns>
        IReadOnlyList<CandidateBudget> Propose(ICandidateScores scores);
    }

    /// <summary>A candidate with an epoch budget, as a tuner proposes it.</summary>
    /// <param name="Candidate">The candidate.</param>
    /// <param name="Epochs">Epochs to train.</param>
    /// <param name="Rung">Rung of successive halving (0 otherwise).</param>
    /// <param name="PreviousEpochs">Budget of the previous rung, whose trials this one may continue (0: none).</param>
    /// <param name="IsFinal">Whether this is the candidate's last possible budget (its trials will not be continued).</param>
    public sealed record CandidateBudget(SweepCandidate Candidate, int Epochs, int Rung = 0, int PreviousEpochs = 0, bool IsFinal = true);

    /// <summary>What a tuner may ask about evaluations so far: a candidate's score at a budget, over every seed and fold.</summary>
    public interface ICandidateScores
    {
        /// <summary>Whether every trial (seed × fold) of the candidate at this budget has a result.</summary>
        /// <param name="candidate">The candidate.</param>
        /// <param name="epochs">The budget.</param>
        /// <returns>True when the score is known.</returns>
        bool IsEvaluated(SweepCandidate candidate, int epochs);

        /// <summary>The mean of the sweep's metric over the candidate's trials at this budget, turned so that larger is
        /// better (LogLoss negated); NaN when a trial diverged or failed, or some are missing.</summary>
        /// <param name="candidate">The candidate.</param>
        /// <param name="epochs">The budget.</param>
        /// <returns>The score.</returns>
        double Score(SweepCandidate candidate, int epochs);
    }
}
