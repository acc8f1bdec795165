namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>Progress of a fit, reported through <see cref="System.IProgress{T}"/> after every batch.</summary>
    /// <param name="Epoch">1-based epoch.</param>
    /// <param name="NumberOfEpochs">Epochs in the fit.</param>
    /// <param name="Step">1-based batch within the epoch.</param>
    /// <param name="StepsPerEpoch">Batches per epoch.</param>
    /// <param name="Loss">Training NLL of this batch (nats).</param>
    /// <param name="ImagesPerSecond">Training images per second so far in this epoch.</param>
    public sealed record TrainingProgress(int Epoch, int NumberOfEpochs, int Step, int StepsPerEpoch, double Loss, double ImagesPerSecond);
}
