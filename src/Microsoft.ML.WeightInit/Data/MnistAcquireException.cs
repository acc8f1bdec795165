using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Thrown by <see cref="MnistDataSource.Acquire(MnistAcquireOptions?)"/> when no source provided MNIST and the
    /// sample fallback is off (<see cref="MnistAcquireOptions.AllowSampleFallback"/> = false) or failed. The message
    /// and <see cref="Attempts"/> list every step with its failure reason.
    /// </summary>
    internal sealed class MnistAcquireException : Exception
    {
        /// <summary>Creates the exception from the failed steps.</summary>
        /// <param name="attempts">Every step tried, in order.</param>
        public MnistAcquireException(IReadOnlyList<MnistAcquireAttempt> attempts)
            : base("MNIST could not be acquired from any source:" + string.Concat(attempts.Select(a => "\n  - " + a)))
        {
            Attempts = attempts;
        }

        /// <summary>Every step tried, in order, with its failure reason.</summary>
        public IReadOnlyList<MnistAcquireAttempt> Attempts { get; }
    }
}
