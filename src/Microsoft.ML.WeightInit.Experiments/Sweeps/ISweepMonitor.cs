using System.Collections.Generic;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Follows a sweep as it runs (AutoML's monitor): every method has an empty default, so implement only what you
    /// need. With <see cref="SweepOptions.MaxConcurrentTrials"/> &gt; 1 the methods are called from several threads.
    /// </summary>
    public interface ISweepMonitor
    {
        /// <summary>A new batch (rung) of candidates was proposed.</summary>
        /// <param name="batch">The candidates and their budget.</param>
        /// <param name="trials">Trials of the batch (candidates × seeds × folds).</param>
        /// <param name="alreadyDone">Of those, how many the trial log already holds.</param>
        void ReportBatch(IReadOnlyList<CandidateBudget> batch, int trials, int alreadyDone)
        {
        }

        /// <summary>A trial starts.</summary>
        /// <param name="trial">The trial.</param>
        void ReportRunningTrial(TrialSpec trial)
        {
        }

        /// <summary>A running trial finished a batch of SGD.</summary>
        /// <param name="trial">The trial.</param>
        /// <param name="progress">Where its training is.</param>
        void ReportTrainingProgress(TrialSpec trial, TrainingProgress progress)
        {
        }

        /// <summary>A trial has a result (completed, diverged or failed).</summary>
        /// <param name="result">The result.</param>
        /// <param name="fromLog">True when it was read from the trial log rather than run now.</param>
        void ReportCompletedTrial(TrialResult result, bool fromLog)
        {
        }

        /// <summary>A candidate took the lead.</summary>
        /// <param name="best">Its leaderboard entry.</param>
        void ReportBestCandidate(CandidateSummary best)
        {
        }
    }
}
