using System;
using System.Collections.Generic;
using Microsoft.ML.WeightInit.Training;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// What one trial gave: its status, ML.NET's metrics on the validation rows, the per-epoch history and the cost.
    /// Plain data: one line of the trial log, and what a remote executor sends back.
    /// </summary>
    public sealed record TrialResult
    {
        /// <summary>The trial.</summary>
        public required TrialSpec Spec { get; init; }

        /// <summary>The trial's id (<see cref="TrialSpec.Id"/>, kept in the log for reading by eye and by tools).</summary>
        public string Id => Spec.Id;

        /// <summary>How it ended.</summary>
        public required TrialStatus Status { get; init; }

        /// <summary>Metrics on the validation rows; null unless <see cref="TrialStatus.Completed"/>.</summary>
        public EvaluationMetrics? Metrics { get; init; }

        /// <summary>Metrics of every epoch trained, including those a continued trial inherited.</summary>
        public IReadOnlyList<EpochMetrics> History { get; init; } = Array.Empty<EpochMetrics>();

        /// <summary>Epochs this trial actually trained: <see cref="TrialSpec.Epochs"/>, fewer when it continued a
        /// paused trial, fewer still when it diverged.</summary>
        public int EpochsTrained { get; init; }

        /// <summary>Training images the trial used per epoch.</summary>
        public long TrainingRows { get; init; }

        /// <summary>Rows it was scored on.</summary>
        public long ValidationRows { get; init; }

        /// <summary>Wall-clock seconds of the trial (training, validation and evaluation).</summary>
        public double Seconds { get; init; }

        /// <summary>When it started (UTC).</summary>
        public DateTime StartedAtUtc { get; init; }

        /// <summary>Why it diverged or failed; null when completed.</summary>
        public string? Error { get; init; }

        /// <summary>1-based epoch where the loss stopped being finite; null unless diverged.</summary>
        public int? DivergedAtEpoch { get; init; }

        /// <summary>1-based batch within that epoch; null unless diverged.</summary>
        public int? DivergedAtStep { get; init; }

        /// <summary>The value of <paramref name="metric"/>, or NaN when the trial did not complete.</summary>
        /// <param name="metric">The metric.</param>
        /// <returns>The value.</returns>
        public double Value(SweepMetric metric) => Metrics is null ? double.NaN : metric.Of(Metrics);
    }
}
