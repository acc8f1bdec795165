using System;
using System.Threading;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The trial runner as a pure function, for distributed executors: a <see cref="TrialRequest"/> in, a
    /// <see cref="TrialResult"/> out, both JSON-serializable, no state kept between calls. Any process that references
    /// this library (or runs the Examples app's <c>trial</c> command) can be a worker.
    /// </summary>
    public static class TrialWorker
    {
        /// <summary>Loads the data the request names and runs its trial in this process.</summary>
        /// <param name="request">The trial, its data location and settings.</param>
        /// <param name="cancellationToken">Stops the trial.</param>
        /// <returns>The result (divergence and trial failures are results).</returns>
        /// <exception cref="OperationCanceledException">The token was signalled.</exception>
        /// <exception cref="System.IO.IOException">The data cannot be read (the executor should retry or fail the job).</exception>
        public static TrialResult Run(TrialRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            var mlContext = new MLContext(seed: 0);
            using var runner = InProcessTrialRunner.Create(mlContext, request.Data, request.Settings);
            return runner.Run(request.Spec, null, cancellationToken);
        }

        /// <summary>The same with JSON in and out (the format of <see cref="SweepJson"/>).</summary>
        /// <param name="requestJson">A serialized <see cref="TrialRequest"/>.</param>
        /// <param name="cancellationToken">Stops the trial.</param>
        /// <returns>The serialized <see cref="TrialResult"/>.</returns>
        /// <exception cref="System.Text.Json.JsonException">The request is not valid JSON of a trial request.</exception>
        public static string Run(string requestJson, CancellationToken cancellationToken = default) =>
            SweepJson.Serialize(Run(SweepJson.Deserialize<TrialRequest>(requestJson), cancellationToken));
    }
}
