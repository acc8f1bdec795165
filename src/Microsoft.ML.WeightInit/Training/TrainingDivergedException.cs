using System;
using System.Globalization;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// Thrown when the training loss becomes NaN or infinite: the fit stops there rather than return a NaN model.
    /// </summary>
    public sealed class TrainingDivergedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="epoch">1-based epoch where the loss stopped being finite.</param>
        /// <param name="step">1-based batch within that epoch.</param>
        /// <param name="loss">The loss seen (NaN or ±∞).</param>
        public TrainingDivergedException(int epoch, int step, double loss)
            : base(string.Create(CultureInfo.InvariantCulture,
                $"Training diverged: the loss became {loss} at epoch {epoch}, step {step}. Lower the learning rate or use a scaled initializer (xavier_*, kaiming_*, orthogonal)."))
        {
            Epoch = epoch;
            Step = step;
            Loss = loss;
        }

        /// <summary>Creates the exception with a message.</summary>
        public TrainingDivergedException()
        {
        }

        /// <summary>Creates the exception with a message.</summary>
        /// <param name="message">The message.</param>
        public TrainingDivergedException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and cause.</summary>
        /// <param name="message">The message.</param>
        /// <param name="innerException">The cause.</param>
        public TrainingDivergedException(string message, Exception innerException)
            : base(message, innerException)
        {
        }

        /// <summary>1-based epoch where the loss stopped being finite.</summary>
        public int Epoch { get; }

        /// <summary>1-based batch within that epoch.</summary>
        public int Step { get; }

        /// <summary>The non-finite loss.</summary>
        public double Loss { get; }

        /// <summary>Metrics of the epochs completed before the divergence.</summary>
        public System.Collections.Generic.IReadOnlyList<EpochMetrics> CompletedEpochs { get; init; } = Array.Empty<EpochMetrics>();
    }
}
