namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>What one epoch of training gave.</summary>
    /// <param name="Epoch">1-based epoch number.</param>
    /// <param name="TrainingLoss">Mean of the per-batch training NLL over the epoch (nats).</param>
    /// <param name="ValidationLoss">Average NLL per validation image after the epoch (nats; the seed article's
    /// "average loss"); NaN without a validation set.</param>
    /// <param name="ValidationAccuracy">Share of validation images classified correctly after the epoch, in [0, 1];
    /// NaN without a validation set.</param>
    /// <param name="Seconds">Wall-clock training time of the epoch (validation excluded), in seconds.</param>
    /// <param name="ImagesPerSecond">Training images processed per second during the epoch.</param>
    public sealed record EpochMetrics(
        int Epoch,
        double TrainingLoss,
        double ValidationLoss,
        double ValidationAccuracy,
        double Seconds,
        double ImagesPerSecond)
    {
        /// <summary>libtorch intra-op threads the epoch ran with (its training steps and validation), as libtorch
        /// reported them on the training thread; the count changes the last bits of the results. 0 in histories written
        /// before it was recorded.</summary>
        public int NumberOfThreads { get; init; }
    }
}
