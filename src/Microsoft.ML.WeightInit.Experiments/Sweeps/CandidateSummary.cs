using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>One row of the leaderboard: a candidate at the furthest budget it reached, over its seeds and folds.</summary>
    public sealed record CandidateSummary
    {
        /// <summary>1-based rank.</summary>
        public int Rank { get; init; }

        /// <summary>The candidate (its <see cref="SweepCandidate.NumberOfEpochs"/> is its full budget).</summary>
        public required SweepCandidate Candidate { get; init; }

        /// <summary>How its trials ended, taken together.</summary>
        public CandidateStatus Status { get; init; }

        /// <summary>Epochs of the trials summarized (the furthest rung it reached).</summary>
        public int Epochs { get; init; }

        /// <summary>Rung of successive halving reached (0 for grid and random).</summary>
        public int Rung { get; init; }

        /// <summary>Trials summarized (seeds × folds, fewer if the sweep stopped early).</summary>
        public int Trials { get; init; }

        /// <summary>Of those, how many diverged.</summary>
        public int Diverged { get; init; }

        /// <summary>Of those, how many failed.</summary>
        public int Failed { get; init; }

        /// <summary>The sweep's metric over the completed trials.</summary>
        public required MeanStd Metric { get; init; }

        /// <summary>MicroAccuracy over the completed trials.</summary>
        public required MeanStd MicroAccuracy { get; init; }

        /// <summary>MacroAccuracy over the completed trials.</summary>
        public required MeanStd MacroAccuracy { get; init; }

        /// <summary>LogLoss over the completed trials.</summary>
        public required MeanStd LogLoss { get; init; }

        /// <summary>Epochs trained for this candidate over all its trials and rungs.</summary>
        public int EpochsTrained { get; init; }

        /// <summary>Wall-clock seconds of all its trials.</summary>
        public double Seconds { get; init; }

        /// <summary>Id of its best trial at <see cref="Epochs"/> (the one whose network is the sweep's model if this
        /// candidate wins), or null when none completed.</summary>
        public string? BestTrialId { get; init; }
    }

    /// <summary>How a candidate's trials ended, taken together.</summary>
    public enum CandidateStatus
    {
        /// <summary>Every trial completed.</summary>
        Completed,

        /// <summary>Some trials are missing (the sweep stopped early); the others completed.</summary>
        Incomplete,

        /// <summary>At least one trial diverged.</summary>
        Diverged,

        /// <summary>At least one trial failed (and none diverged).</summary>
        Failed,
    }
}
