using System;
using System.Globalization;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// Thrown when the training loss becomes NaN or infinite — at a step, or on a training batch after an epoch's
    /// last update — or a parameter does: the fit stops there rather than return a model that scores NaN.
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

        /// <summary>Creates the exception for a parameter that became NaN or ∞ while the loss was still finite.</summary>
        /// <param name="epoch">1-based epoch of the step that made the parameter non-finite.</param>
        /// <param name="step">1-based batch within that epoch.</param>
        /// <param name="loss">The (finite) loss of that step.</param>
        /// <param name="parameter">The first non-finite parameter, e.g. <c>conv1.weight</c>.</param>
        public TrainingDivergedException(int epoch, int step, double loss, string parameter)
            : base(string.Create(CultureInfo.InvariantCulture,
                $"Training diverged: parameter '{parameter}' became NaN or ∞ at epoch {epoch}, step {step} (that step's loss was still {loss}). Lower the learning rate or use a scaled initializer (xavier_*, kaiming_*, orthogonal)."))
        {
            Epoch = epoch;
            Step = step;
            Loss = loss;
            Parameter = parameter;
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

        /// <summary>The non-finite loss; when <see cref="Parameter"/> is set, the last (finite) loss.</summary>
        public double Loss { get; }

        /// <summary>The parameter that became NaN or ∞ while the loss was finite (the last step of an epoch); null
        /// when the loss itself stopped being finite.</summary>
        public string? Parameter { get; }

        /// <summary>Metrics of the epochs completed before the divergence.</summary>
        public System.Collections.Generic.IReadOnlyList<EpochMetrics> CompletedEpochs { get; init; } = Array.Empty<EpochMetrics>();
    }
}
