using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Runs trials: a trial spec in, a trial result out, nothing shared between trials but the data. The default,
    /// <see cref="InProcessTrialRunner"/>, trains in this process one trial at a time; an implementation may hand each
    /// trial to a distributed executor as a <see cref="TrialRequest"/> (JSON) and read back the
    /// <see cref="TrialResult"/> its worker produces with <see cref="TrialWorker.Run(TrialRequest, CancellationToken)"/>.
    /// </summary>
    public interface ITrialRunner
    {
        /// <summary>
        /// What the trials train and score on, and the fixed training settings: the trial log records it and refuses
        /// to resume a sweep over different data.
        /// </summary>
        string DataDescription { get; }

        /// <summary>Whether several trials may run at once (<see cref="SweepOptions.MaxConcurrentTrials"/> &gt; 1).</summary>
        bool SupportsConcurrentTrials => false;

        /// <summary>Runs one trial. Divergence and trial failures are results, not exceptions.</summary>
        /// <param name="spec">The trial.</param>
        /// <param name="progress">Receives training progress, or null.</param>
        /// <param name="cancellationToken">Stops the trial (it then gives no result).</param>
        /// <returns>The result.</returns>
        /// <exception cref="OperationCanceledException">The token was signalled.</exception>
        Task<TrialResult> RunAsync(TrialSpec spec, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
    }
}
