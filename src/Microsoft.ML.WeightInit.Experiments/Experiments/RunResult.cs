using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Training;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>One (initializer, seed) run of a comparison.</summary>
    /// <param name="Initializer">Label of the weight initializer: its text as given (a column of the tables).</param>
    /// <param name="WeightInitializer">Canonical text form of the weight initializer, every parameter listed.</param>
    /// <param name="BiasInitializer">Canonical text form of the bias initializer.</param>
    /// <param name="Seed">Seed of initialization and shuffling.</param>
    /// <param name="Status">How the run ended.</param>
    /// <param name="History">Metrics of every completed epoch, in order (average test NLL in nats and test accuracy in
    /// [0, 1] per epoch). A diverged run holds the epochs completed before the divergence.</param>
    /// <param name="Divergence">Where the loss stopped being finite (only for <see cref="RunStatus.Diverged"/>).</param>
    /// <param name="Evaluation">ML.NET's Evaluate metrics on the test set after the last epoch; null for a diverged or
    /// failed run, or when the comparison was given no test data view.</param>
    /// <param name="Seconds">Wall-clock time of the run (training, per-epoch test passes and Evaluate), in seconds.</param>
    /// <param name="Note">Why the run is stuck or failed, in a sentence; null otherwise.</param>
    public sealed record RunResult(
        string Initializer,
        string WeightInitializer,
        string BiasInitializer,
        long Seed,
        RunStatus Status,
        IReadOnlyList<EpochMetrics> History,
        RunDivergence? Divergence,
        EvaluationMetrics? Evaluation,
        double Seconds,
        string? Note)
    {
        /// <summary>SGD steps (over all epochs) until the mean training loss of the last
        /// <see cref="ComparisonOptions.LossWindow"/> batches first reached <see cref="ComparisonOptions.LossThreshold"/>;
        /// null when it never did.</summary>
        public long? StepsToLoss { get; init; }

        /// <summary>Test accuracy after the last completed epoch, or NaN when no epoch completed.</summary>
        public double FinalAccuracy => History.Count == 0 ? double.NaN : History[^1].ValidationAccuracy;

        /// <summary>Average test NLL after the last completed epoch (nats), or NaN when no epoch completed.</summary>
        public double FinalLoss => History.Count == 0 ? double.NaN : History[^1].ValidationLoss;

        /// <summary>Test NLL of epoch <paramref name="epoch"/> (1-based), or NaN when the run did not complete it.</summary>
        /// <param name="epoch">1-based epoch.</param>
        /// <returns>The loss in nats, or NaN.</returns>
        public double LossAt(int epoch) => History.FirstOrDefault(h => h.Epoch == epoch)?.ValidationLoss ?? double.NaN;

        /// <summary>Test accuracy of epoch <paramref name="epoch"/> (1-based), or NaN when the run did not complete it.</summary>
        /// <param name="epoch">1-based epoch.</param>
        /// <returns>The accuracy in [0, 1], or NaN.</returns>
        public double AccuracyAt(int epoch) => History.FirstOrDefault(h => h.Epoch == epoch)?.ValidationAccuracy ?? double.NaN;
    }
}
