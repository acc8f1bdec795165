using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// Progress of a comparison, reported synchronously on the run's training thread (the worker threads, one report
    /// at a time, when several runs train at once): once when a run starts (both
    /// <see cref="Training"/> and <see cref="Finished"/> null), after every batch (<see cref="Training"/> set) and
    /// when a run ends (<see cref="Finished"/> set).
    /// </summary>
    /// <param name="RunIndex">0-based index of the run in the comparison's order (seed by seed, then initializer by
    /// initializer).</param>
    /// <param name="RunCount">Runs planned: initializers × seeds.</param>
    /// <param name="Initializer">Label of the run's initializer (its text as given).</param>
    /// <param name="Seed">The run's seed.</param>
    /// <param name="NumberOfEpochs">Epochs each run trains.</param>
    /// <param name="Training">The batch just trained, or null.</param>
    /// <param name="Finished">The run's result once it ended, or null.</param>
    public sealed record ComparisonProgress(int RunIndex, int RunCount, string Initializer, long Seed, int NumberOfEpochs,
        TrainingProgress? Training, RunResult? Finished);
}
