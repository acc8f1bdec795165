using System;
using System.Text.Json;
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
        /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
        /// <exception cref="ArgumentException">The request lacks its <see cref="TrialRequest.Spec"/>,
        /// <see cref="TrialRequest.Data"/> or <see cref="TrialRequest.Settings"/>, or the spec its candidate (with
        /// both initializers) or evaluation; the message names the missing member.</exception>
        /// <exception cref="OperationCanceledException">The token was signalled.</exception>
        /// <exception cref="System.IO.IOException">The data cannot be read (the executor should retry or fail the job).</exception>
        public static TrialResult Run(TrialRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            if (Missing(request) is string missing)
            {
                throw new ArgumentException($"The trial request has no {missing}.", nameof(request));
            }
            var mlContext = new MLContext(seed: 0);
            using var runner = InProcessTrialRunner.Create(mlContext, request.Data, request.Settings);
            return runner.Run(request.Spec, null, cancellationToken);
        }

        /// <summary>The same with JSON in and out (the format of <see cref="SweepJson"/>).</summary>
        /// <param name="requestJson">A serialized <see cref="TrialRequest"/>.</param>
        /// <param name="cancellationToken">Stops the trial.</param>
        /// <returns>The serialized <see cref="TrialResult"/>.</returns>
        /// <exception cref="JsonException">The request is not valid JSON of a trial request: a required field
        /// (<c>spec</c>, <c>data</c>, <c>settings</c>, <c>spec.candidate</c>, <c>spec.candidate.weight</c>,
        /// <c>spec.candidate.bias</c>, <c>spec.evaluation</c>) is missing or null, or a value is out of range; the message
        /// names the field (an architecture that does not parse: <c>spec.candidate.architecture</c>).</exception>
        public static string Run(string requestJson, CancellationToken cancellationToken = default) =>
            SweepJson.Serialize(Run(ParseRequest(requestJson), cancellationToken));

        /// <summary>Reads and checks a serialized <see cref="TrialRequest"/> without running it (for executors that
        /// keep the data loaded between trials).</summary>
        /// <param name="requestJson">A serialized <see cref="TrialRequest"/>.</param>
        /// <returns>The request, with its spec and settings validated.</returns>
        /// <exception cref="JsonException">As <see cref="Run(string, CancellationToken)"/>: the message names the field.</exception>
        public static TrialRequest ParseRequest(string requestJson)
        {
            var request = SweepJson.Deserialize<TrialRequest>(requestJson);
            if (Missing(request) is string missing)
            {
                throw new JsonException($"The trial request JSON has no \"{missing}\" (required: spec, data and settings; spec.candidate with weight and bias, and spec.evaluation).");
            }
            string? invalid = Invalid(request.Spec.Candidate.Validate, "spec.candidate") ?? Invalid(request.Spec.Evaluation.Validate, "spec.evaluation")
                ?? Invalid(request.Spec.Validate, "spec")
                ?? Invalid(request.Settings.Validate, "settings");
            if (invalid is not null)
            {
                throw new JsonException($"The trial request JSON has an invalid {invalid}.");
            }
            return request;
        }

        /// <summary>The JSON path of the first required member that is null, or null.</summary>
        private static string? Missing(TrialRequest request) =>
            request.Spec is null ? "spec"
            : request.Data is null ? "data"
            : request.Settings is null ? "settings"
            : request.Spec.Candidate is null ? "spec.candidate"
            : request.Spec.Candidate.Weight is null ? "spec.candidate.weight"
            : request.Spec.Candidate.Bias is null ? "spec.candidate.bias"
            : request.Spec.Evaluation is null ? "spec.evaluation"
            : null;

        /// <summary>The field a validation rejects, as a quoted JSON path with the reason, or null.</summary>
        private static string? Invalid(Action validate, string path) =>
            SweepJson.RejectedField(validate, path) is { } r ? $"\"{r.Field}\": {r.Reason}" : null;
    }
}
