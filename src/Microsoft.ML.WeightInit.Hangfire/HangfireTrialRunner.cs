using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using global::Hangfire;
using global::Hangfire.Common;
using global::Hangfire.PostgreSql;
using global::Hangfire.States;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// Runs a sweep's trials on Hangfire workers (<see cref="HangfireTrialWorker"/>, the CLI's <c>worker</c> command)
    /// over PostgreSQL: each trial is one job carrying its <see cref="TrialRequest"/> JSON and the data's checksum; the
    /// runner awaits the job's result. The sweep's driver keeps the tuner, halving, trial log, resume and leaderboard.
    /// </summary>
    /// <remarks>
    /// A trial already enqueued for the same data (by this driver before a restart, or another) is re-attached to, not
    /// enqueued again; a failed one is requeued. While the database is unreachable the runner keeps retrying for
    /// <see cref="HangfireSweepOptions.DatabaseOutageTimeout"/>. Cancelling a trial leaves its job queued or running, so a
    /// restarted sweep picks up its result.
    /// </remarks>
    public sealed class HangfireTrialRunner : ITrialRunner
    {
        private readonly HangfireSweepOptions _options;
        private readonly PostgreSqlStorage _storage;
        private readonly BackgroundJobClient _client;
        private readonly Action<string>? _log;
        private int _enqueued;
        private int _attached;
        private int _requeued;

        /// <summary>Connects to the storage (creating Hangfire's schema if needed) and announces the data.</summary>
        /// <param name="options">The sweep's database and queue.</param>
        /// <param name="data">Where the workers find the data (as they see it).</param>
        /// <param name="settings">Training settings shared by the trials (the workers' own thread count replaces
        /// <see cref="TrialRunnerSettings.NumberOfThreads"/>); null for the defaults.</param>
        /// <param name="dataChecksum">SHA-256 of the data the workers must have; null computes it by loading
        /// <paramref name="data"/> in this process.</param>
        /// <param name="log">Receives notes on re-attached trials and database outages; null for none.</param>
        /// <exception cref="SweepStorageException">The database cannot be reached or refuses the login.</exception>
        public HangfireTrialRunner(HangfireSweepOptions options, SweepDataLocation data, TrialRunnerSettings? settings = null,
            string? dataChecksum = null, Action<string>? log = null)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            Data = data ?? throw new ArgumentNullException(nameof(data));
            Settings = settings ?? new TrialRunnerSettings();
            Settings.Validate();
            _log = log;
            _storage = SweepStorage.Open(options);
            _client = new BackgroundJobClient(_storage);
            DataChecksum = dataChecksum ?? Hangfire.DataChecksum.Compute(data, Settings);
            DataDescription = string.Create(CultureInfo.InvariantCulture, $"{data.Description}; {Settings.TextForm}");
        }

        /// <summary>Where the workers find the data.</summary>
        public SweepDataLocation Data { get; }

        /// <summary>Training settings of the trials.</summary>
        public TrialRunnerSettings Settings { get; }

        /// <summary>SHA-256 of the data's rows, sent with every trial.</summary>
        public string DataChecksum { get; }

        /// <inheritdoc/>
        public string DataDescription { get; }

        /// <inheritdoc/>
        public bool SupportsConcurrentTrials => true;

        /// <summary>Jobs this runner enqueued (or requeued).</summary>
        public int TrialsEnqueued => _enqueued;

        /// <summary>Trials whose existing job this runner re-attached to.</summary>
        public int TrialsAttached => _attached;

        /// <summary>Running trials this runner requeued because their worker died (its Hangfire server stopped sending
        /// heartbeats for the workers' invisibility timeout and was removed).</summary>
        public int TrialsRequeued => _requeued;

        /// <inheritdoc/>
        /// <exception cref="TrialJobFailedException">The job failed on the workers after its retries (e.g. their data
        /// differs); the message gives the workers' error.</exception>
        /// <exception cref="SweepStorageException">The database stayed unreachable for longer than
        /// <see cref="HangfireSweepOptions.DatabaseOutageTimeout"/>.</exception>
        public async Task<TrialResult> RunAsync(TrialSpec spec, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(spec);
            spec.Validate();
            string key = $"weightinit:trial:{_options.Queue}:{DataChecksum[..16]}:{spec.Id}";
            string payload = TrialJobPayload.Create(new TrialRequest(spec, Data, Settings), DataChecksum);
            string jobId = await Database(() => Attach(key, spec, payload), cancellationToken).ConfigureAwait(false);
            string? requeuedFrom = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var state = await Database(() =>
                {
                    using var connection = _storage.GetConnection();
                    return connection.GetStateData(jobId);
                }, cancellationToken).ConfigureAwait(false);
                if (state?.Name == SucceededState.StateName)
                {
                    return Result(spec, jobId, state.Data);
                }
                if (state?.Name == FailedState.StateName)
                {
                    throw new TrialJobFailedException(spec.Id, jobId, Describe(state.Data));
                }
                if (state?.Name == ProcessingState.StateName && state.Data.TryGetValue("ServerId", out string? serverId)
                    && serverId is not null && serverId != requeuedFrom
                    && !await Database(() => IsServerAlive(serverId), cancellationToken).ConfigureAwait(false))
                {
                    // Its worker died mid-trial. Hangfire.PostgreSql would hand the job out again only once no
                    // never-fetched job is queued; requeued, it runs next (the oldest enqueued job goes first).
                    _log?.Invoke($"Trial {spec.Id}: worker {serverId} stopped (no heartbeat); job {jobId} requeued.");
                    requeuedFrom = serverId;
                    await Database(() => _client.Requeue(jobId), cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _requeued);
                    continue;
                }
                if (state is null || state.Name == DeletedState.StateName)
                {
                    _log?.Invoke($"Trial {spec.Id}: job {jobId} was {(state is null ? "removed" : "deleted")}; enqueuing it again.");
                    jobId = await Database(() => Enqueue(key, spec, payload), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Whether a Hangfire server is registered (workers' watchdogs remove one whose heartbeats stopped).</summary>
        private bool IsServerAlive(string serverId) =>
            _storage.GetMonitoringApi().Servers().Any(s => s.Name == serverId);

        /// <summary>The job of the trial: the one already recorded for it (requeued if it failed), or a new one.</summary>
        private string Attach(string key, TrialSpec spec, string payload)
        {
            using var connection = _storage.GetConnection();
            var entries = connection.GetAllEntriesFromHash(key);
            if (entries is not null && entries.TryGetValue("JobId", out string? jobId) && connection.GetStateData(jobId) is { } state
                && state.Name != DeletedState.StateName)
            {
                if (state.Name == FailedState.StateName)
                {
                    _log?.Invoke($"Trial {spec.Id}: job {jobId} had failed ({Describe(state.Data)}); requeued.");
                    _client.Requeue(jobId);
                    Interlocked.Increment(ref _enqueued);
                }
                else
                {
                    _log?.Invoke($"Trial {spec.Id}: re-attached to job {jobId} ({state.Name}).");
                    Interlocked.Increment(ref _attached);
                }
                return jobId;
            }
            return Enqueue(key, spec, payload);
        }

        private string Enqueue(string key, TrialSpec spec, string payload)
        {
            string jobId = _client.Create(TrialJob.Create(spec.Id, payload, _options.Queue), new EnqueuedState(_options.Queue));
            using var connection = _storage.GetConnection();
            using var transaction = connection.CreateWriteTransaction();
            transaction.SetRangeInHash(key, new[] { KeyValuePair.Create("JobId", jobId) });
            transaction.Commit();
            Interlocked.Increment(ref _enqueued);
            return jobId;
        }

        private static TrialResult Result(TrialSpec spec, string jobId, IDictionary<string, string> data)
        {
            try
            {
                string json = data.TryGetValue("Result", out string? serialized) && serialized is not null
                    ? SerializationHelper.Deserialize<string>(serialized, SerializationOption.User) ?? throw new JsonException("the result is null")
                    : throw new JsonException("the job's Succeeded state holds no result");
                var result = SweepJson.Deserialize<TrialResult>(json);
                if (result.Spec is null || result.Spec.Id != spec.Id)
                {
                    throw new JsonException($"it is the result of trial {result.Spec?.Id ?? "(none)"}");
                }
                return result;
            }
            catch (JsonException e)
            {
                throw new TrialJobFailedException(spec.Id, jobId, $"the job succeeded but its result cannot be read: {e.Message}");
            }
        }

        private static string Describe(IDictionary<string, string>? data) =>
            data is not null && data.TryGetValue("ExceptionMessage", out string? message)
                ? $"{(data.TryGetValue("ExceptionType", out string? type) ? type + ": " : "")}{message}"
                : "no message";

        /// <summary>Runs a storage call, retrying while the database is unreachable (up to the outage timeout).</summary>
        private async Task<T> Database<T>(Func<T> call, CancellationToken cancellationToken)
        {
            Stopwatch? outage = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    var value = call();
                    if (outage is not null)
                    {
                        _log?.Invoke($"PostgreSQL at {_options.Endpoint} is back after {outage.Elapsed.TotalSeconds:F0} s.");
                    }
                    return value;
                }
                catch (Exception e) when (SweepStorage.IsDatabaseError(e))
                {
                    if (outage is null)
                    {
                        outage = Stopwatch.StartNew();
                        _log?.Invoke($"PostgreSQL at {_options.Endpoint} is unreachable ({e.Message}); retrying for up to {_options.DatabaseOutageTimeout}.");
                    }
                    else if (outage.Elapsed > _options.DatabaseOutageTimeout)
                    {
                        throw new SweepStorageException($"PostgreSQL at {_options.Endpoint} has been unreachable for {outage.Elapsed.TotalSeconds:F0} s (DatabaseOutageTimeout {_options.DatabaseOutageTimeout}): {e.Message}", e);
                    }
                    await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>A trial's job failed on the workers after its retries (or its result cannot be read). The trial is not
    /// logged: run the sweep again (after fixing the cause) and the failed job is requeued.</summary>
    public sealed class TrialJobFailedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="trialId">The trial.</param>
        /// <param name="jobId">Its Hangfire job.</param>
        /// <param name="reason">The workers' error.</param>
        public TrialJobFailedException(string trialId, string jobId, string reason)
            : base($"Trial {trialId} (Hangfire job {jobId}) failed on the workers: {reason}")
        {
            TrialId = trialId;
            JobId = jobId;
        }

        /// <summary>The trial.</summary>
        public string TrialId { get; }

        /// <summary>Its Hangfire job.</summary>
        public string JobId { get; }
    }
}
