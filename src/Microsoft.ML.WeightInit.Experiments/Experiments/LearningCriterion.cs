using System;
using System.Globalization;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// Decides whether a run that trained every epoch learned. A run is <see cref="RunStatus.Stuck"/> when, after its
    /// last epoch, either its test accuracy ≤ majority share + <see cref="AccuracyMargin"/> (no better than always
    /// answering the most frequent class), or its average test NLL ≥ class-prior cross-entropy −
    /// <see cref="LossMargin"/> (no better than answering the class frequencies), or that NLL is not finite.
    /// Otherwise it <see cref="RunStatus.Learned"/>. See <see cref="TestSetProfile"/> for both floors.
    /// </summary>
    /// <param name="AccuracyMargin">Accuracy points above the majority share a run must exceed (default 0.02).</param>
    /// <param name="LossMargin">Nats below the class-prior cross-entropy a run's loss must reach (default 0.05).</param>
    public sealed record LearningCriterion(double AccuracyMargin = 0.02, double LossMargin = 0.05)
    {
        /// <summary>The default criterion: margins 0.02 (accuracy) and 0.05 nats (loss).</summary>
        public static LearningCriterion Default { get; } = new();

        /// <summary>Classifies a run from its final test loss and accuracy.</summary>
        /// <param name="finalLoss">Average test NLL after the last epoch (nats).</param>
        /// <param name="finalAccuracy">Test accuracy after the last epoch, in [0, 1].</param>
        /// <param name="profile">The test set's no-learning floors.</param>
        /// <returns>Learned or Stuck, and for Stuck the reason in a sentence.</returns>
        /// <exception cref="ArgumentOutOfRangeException">A negative or non-finite margin.</exception>
        public (RunStatus Status, string? Reason) Classify(double finalLoss, double finalAccuracy, TestSetProfile profile)
        {
            ArgumentNullException.ThrowIfNull(profile);
            if (!(AccuracyMargin >= 0) || !double.IsFinite(AccuracyMargin) || !(LossMargin >= 0) || !double.IsFinite(LossMargin))
            {
                throw new ArgumentOutOfRangeException(nameof(AccuracyMargin), "The margins must be finite and ≥ 0.");
            }
            var c = CultureInfo.InvariantCulture;
            if (!double.IsFinite(finalLoss))
            {
                return (RunStatus.Stuck, string.Create(c, $"final test loss is {finalLoss}"));
            }
            if (finalAccuracy <= profile.MajorityShare + AccuracyMargin)
            {
                return (RunStatus.Stuck, string.Create(c,
                    $"final accuracy {finalAccuracy:F4} ≤ majority-class share {profile.MajorityShare:F4} + {AccuracyMargin:G4}"));
            }
            if (finalLoss >= profile.PriorCrossEntropy - LossMargin)
            {
                return (RunStatus.Stuck, string.Create(c,
                    $"final loss {finalLoss:F4} ≥ class-prior cross-entropy {profile.PriorCrossEntropy:F4} − {LossMargin:G4}"));
            }
            return (RunStatus.Learned, null);
        }
    }
}
