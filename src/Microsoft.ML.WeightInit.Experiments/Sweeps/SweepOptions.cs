using System;
using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>Options of a <see cref="SweepExperiment"/>.</summary>
    public sealed class SweepOptions
    {
        /// <summary>The metric candidates are ranked by. Default MicroAccuracy.</summary>
        public SweepMetric Metric = SweepMetric.MicroAccuracy;

        /// <summary>Seeds of initialization and shuffling: every candidate runs once per seed (and fold), and its
        /// leaderboard entry is the mean ± standard deviation over them. Default: 1 (the PyTorch example's seed).</summary>
        public IReadOnlyList<int> Seeds = new[] { 1 };

        /// <summary>How trials are scored. Default: a hold-out of 20 % of the training rows (split seed 0).</summary>
        public SweepEvaluation Evaluation = SweepEvaluation.Holdout();

        /// <summary>
        /// Path of the trial log (JSON lines, one per finished trial, flushed to disk each time). A sweep started again
        /// with the same log and data skips the trials it records. Default: none (nothing is kept).
        /// </summary>
        public string? TrialLogPath;

        /// <summary>Wall-clock cap of one <see cref="SweepExperiment.Run"/> call; the trial running when it is reached is
        /// stopped and not recorded. Default: none; at most <see cref="LongestMaxTime"/>.</summary>
        public TimeSpan? MaxTime;

        /// <summary>The longest <see cref="MaxTime"/>: 49 days, within what a timer can wait (2³² − 2 ms).</summary>
        public static TimeSpan LongestMaxTime { get; } = TimeSpan.FromDays(49);

        /// <summary>Trials run at once (only for runners with <see cref="ITrialRunner.SupportsConcurrentTrials"/>).
        /// Default 1.</summary>
        public int MaxConcurrentTrials = 1;

        /// <summary>Whether the result carries the best trial's network as an <c>InitCnnTransformer</c> (in-process
        /// runner only; retrained if it is no longer in memory, e.g. after a resume). Default true.</summary>
        public bool KeepBestModel = true;

        /// <summary>Receives trial starts, training progress, results and changes of the leader. Default: none.</summary>
        public ISweepMonitor? Monitor;
    }
}
