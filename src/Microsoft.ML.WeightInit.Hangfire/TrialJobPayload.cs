using System;
using System.Text.Json;
using Microsoft.ML.WeightInit.Sweeps;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// What a trial job carries (its one JSON argument): the <see cref="TrialRequest"/> and the checksum of the data as
    /// the driver loaded it, which the worker compares with its own copy before training.
    /// </summary>
    /// <param name="Format">Payload format version (<see cref="CurrentFormat"/>).</param>
    /// <param name="DataChecksum">SHA-256 of the rows the request's data location gives (<see cref="DataChecksum"/>).</param>
    /// <param name="Request">The trial request.</param>
    internal sealed record TrialJobPayload(int Format, string DataChecksum, JsonElement Request)
    {
        /// <summary>The format this version writes and reads.</summary>
        public const int CurrentFormat = 1;

        /// <summary>The payload of a request.</summary>
        public static string Create(TrialRequest request, string dataChecksum) =>
            SweepJson.Serialize(new TrialJobPayload(CurrentFormat, dataChecksum, JsonSerializer.SerializeToElement(request, SweepJson.Options)));

        /// <summary>Reads a payload and its request; the trial id must be the request's.</summary>
        /// <exception cref="TrialJobPayloadException">Not a payload of this format, or the request is invalid (the message names the field).</exception>
        public static (TrialRequest Request, string DataChecksum) Parse(string trialId, string? json)
        {
            try
            {
                var payload = SweepJson.Deserialize<TrialJobPayload>(json ?? throw new JsonException("The payload is null."));
                if (payload.Format != CurrentFormat)
                {
                    throw new JsonException($"\"format\" is {payload.Format}; this worker reads format {CurrentFormat} (update the worker or the driver so both run the same version).");
                }
                if (string.IsNullOrEmpty(payload.DataChecksum))
                {
                    throw new JsonException("\"dataChecksum\" is missing.");
                }
                if (payload.Request.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException("\"request\" is missing or not an object.");
                }
                var request = TrialWorker.ParseRequest(payload.Request.GetRawText());
                if (request.Spec.Id != trialId)
                {
                    throw new JsonException($"the request is trial {request.Spec.Id}, the job names trial {trialId}.");
                }
                return (request, payload.DataChecksum);
            }
            catch (JsonException e)
            {
                throw new TrialJobPayloadException($"Malformed payload of trial job {trialId}: {e.Message}", e);
            }
        }
    }

    /// <summary>A trial job's payload cannot be read: the job fails at once (no retry: it would fail again).</summary>
    public sealed class TrialJobPayloadException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What is wrong, naming the field.</param>
        /// <param name="inner">The JSON error.</param>
        public TrialJobPayloadException(string message, Exception? inner = null) : base(message, inner)
        {
        }
    }

    /// <summary>The worker's data is not the data the driver announced (their checksums differ): the trial is not run
    /// on this worker (the job is retried, possibly on another worker, then fails with this message).</summary>
    public sealed class TrialDataMismatchException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">Which data, which checksums.</param>
        public TrialDataMismatchException(string message) : base(message)
        {
        }
    }
}
