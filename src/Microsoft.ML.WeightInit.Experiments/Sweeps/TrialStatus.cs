namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>How a trial ended.</summary>
    public enum TrialStatus
    {
        /// <summary>Trained for its epochs and evaluated.</summary>
        Completed,

        /// <summary>The training loss became NaN or ∞ (see <see cref="TrialResult.DivergedAtEpoch"/>).</summary>
        Diverged,

        /// <summary>The trial could not run, e.g. an initializer rejected a layer's shape (see
        /// <see cref="TrialResult.Error"/>).</summary>
        Failed,
    }
}
