using System;
using System.ComponentModel;
using System.Threading;
using global::Hangfire;
using global::Hangfire.Common;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// The Hangfire job of one sweep trial: the driver (<see cref="HangfireTrialRunner"/>) enqueues
    /// <see cref="Run"/> with the trial id and its JSON payload; a worker (<see cref="HangfireTrialWorker"/>) runs it and
    /// returns the JSON <see cref="Sweeps.TrialResult"/>, which Hangfire keeps in the job's Succeeded state.
    /// </summary>
    public sealed class TrialJob
    {
        private readonly TrialJobExecutor _executor;

        internal TrialJob(TrialJobExecutor executor) => _executor = executor;

        /// <summary>The job of a trial, bound to its queue: retries and requeues go back to that queue (not Hangfire's
        /// <c>default</c>), where the sweep's workers listen.</summary>
        internal static Job Create(string trialId, string payload, string queue)
        {
            var call = Job.FromExpression<TrialJob>(j => j.Run(trialId, payload, CancellationToken.None));
            return new Job(call.Type, call.Method, call.Args, queue);
        }

        /// <summary>
        /// Runs the trial. An exception fails this attempt: a malformed payload fails the job at once, anything else
        /// (data missing or different from the driver's, out of memory) is retried 3 times (after 10 s, 30 s, 60 s),
        /// possibly on another worker, then fails. A worker that dies mid-trial fails nothing: the job becomes
        /// visible again after <see cref="HangfireSweepOptions.InvisibilityTimeout"/> and another worker runs it.
        /// </summary>
        /// <param name="trialId">The trial's id (shown on the dashboard).</param>
        /// <param name="payload">The payload JSON (format 1: <c>{"format":1,"dataChecksum":…,"request":{…}}</c>).</param>
        /// <param name="cancellationToken">Signalled when the worker shuts down (the job goes back to the queue).</param>
        /// <returns>The trial result as JSON (<see cref="Sweeps.SweepJson"/>).</returns>
        /// <exception cref="TrialJobPayloadException">The payload cannot be read.</exception>
        /// <exception cref="TrialDataMismatchException">The worker's data differs from the driver's.</exception>
        [DisplayName("weightinit trial {0}")]
        [AutomaticRetry(Attempts = 3, DelaysInSeconds = new[] { 10, 30, 60 }, ExceptOn = new[] { typeof(TrialJobPayloadException) },
            OnAttemptsExceeded = AttemptsExceededAction.Fail)]
        public string Run(string trialId, string payload, CancellationToken cancellationToken) =>
            _executor.Run(trialId, payload, cancellationToken);
    }
}
