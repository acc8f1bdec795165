using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>What a sweep gave: the leaderboard, every trial with its history, the best model, and why it stopped.</summary>
    public sealed class SweepResult : IDisposable
    {
        internal SweepResult(Leaderboard leaderboard, IReadOnlyList<TrialResult> trials, int trialsRun, int trialsFromLog,
            SweepStopReason stopReason, TimeSpan elapsed, InitCnnTransformer? bestModel, TrialResult? bestTrial, IReadOnlyList<string> notes)
        {
            Leaderboard = leaderboard;
            Trials = trials;
            TrialsRun = trialsRun;
            TrialsFromLog = trialsFromLog;
            StopReason = stopReason;
            Elapsed = elapsed;
            BestModel = bestModel;
            BestTrial = bestTrial;
            Notes = notes;
        }

        /// <summary>The candidates, best first.</summary>
        public Leaderboard Leaderboard { get; }

        /// <summary>Every trial the sweep proposed that has a result (run now or read from the log), in proposal order.</summary>
        public IReadOnlyList<TrialResult> Trials { get; }

        /// <summary>Trials run by this call.</summary>
        public int TrialsRun { get; }

        /// <summary>Trials whose result came from the trial log (not run again).</summary>
        public int TrialsFromLog { get; }

        /// <summary>Epochs trained over all of <see cref="Trials"/> (this call's and the logged ones): the sweep's cost.</summary>
        public int EpochsTrained => Trials.Sum(t => t.EpochsTrained);

        /// <summary>Why the sweep stopped.</summary>
        public SweepStopReason StopReason { get; }

        /// <summary>Wall-clock time of this call.</summary>
        public TimeSpan Elapsed { get; }

        /// <summary>
        /// The best candidate's best trial as an ML.NET transformer (trained on that trial's training rows), ready to
        /// use or save; owned by the caller (disposing the result disposes it too). Null when no candidate completed,
        /// <see cref="SweepOptions.KeepBestModel"/> is off, the runner is not in-process, or it would have needed
        /// retraining after the sweep was stopped.
        /// </summary>
        public InitCnnTransformer? BestModel { get; }

        /// <summary>The trial behind <see cref="BestModel"/> (the best candidate's best trial), or null.</summary>
        public TrialResult? BestTrial { get; }

        /// <summary>Things worth knowing about the run (a repaired log, a retrained best model, …).</summary>
        public IReadOnlyList<string> Notes { get; }

        /// <summary>Disposes <see cref="BestModel"/>.</summary>
        public void Dispose() => BestModel?.Dispose();
    }
}
