namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>How one (initializer, seed) run of a comparison ended.</summary>
    public enum RunStatus
    {
        /// <summary>Trained every epoch and learned: beat both no-learning floors of <see cref="LearningCriterion"/>.</summary>
        Learned,

        /// <summary>Trained every epoch but did not learn (<see cref="LearningCriterion"/>): its final test accuracy is
        /// within the margin of the majority class's share, or its final test loss within the margin of (or above)
        /// the class-prior cross-entropy.</summary>
        Stuck,

        /// <summary>The training loss or a parameter became NaN or ±∞; <see cref="RunResult.Divergence"/> says where.</summary>
        Diverged,

        /// <summary>The run could not be carried out (e.g. an initializer rejected a parameter's shape);
        /// <see cref="RunResult.Note"/> says why.</summary>
        Failed,
    }
}
