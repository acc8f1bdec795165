namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>Why a sweep stopped.</summary>
    public enum SweepStopReason
    {
        /// <summary>The tuner had nothing more to propose.</summary>
        Completed,

        /// <summary><see cref="SweepOptions.MaxTime"/> was reached.</summary>
        TimeLimit,

        /// <summary>The cancellation token was signalled.</summary>
        Cancelled,
    }
}
