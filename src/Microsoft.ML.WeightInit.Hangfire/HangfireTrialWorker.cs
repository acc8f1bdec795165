using System;
using System.Threading;
using System.Threading.Tasks;
using global::Hangfire;
using global::Hangfire.PostgreSql;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// A sweep worker: a Hangfire server on the sweep's PostgreSQL storage that runs trial jobs of one queue, one at a
    /// time in this process (libtorch's thread pool is process-wide). Start as many as there are machines (or cores
    /// pairs); each finds the data by the request's <see cref="Sweeps.SweepDataLocation"/>, or in its own directory.
    /// </summary>
    public sealed class HangfireTrialWorker : IDisposable
    {
        private readonly TrialJobExecutor _executor;
        private readonly BackgroundJobServer _server;

        /// <summary>Connects to the storage and starts fetching trials.</summary>
        /// <param name="options">The sweep's database and queue.</param>
        /// <param name="numberOfThreads">libtorch threads of every trial (≥ 1; overrides the driver's setting). Default 1.</param>
        /// <param name="dataDirectory">This worker's MNIST directory (replaces the request's); null to use the request's.</param>
        /// <param name="log">Receives one line per trial started, finished or refused; null for none.</param>
        /// <exception cref="SweepStorageException">The database cannot be reached or refuses the login.</exception>
        /// <exception cref="ArgumentException">Invalid options (the message names the option).</exception>
        public HangfireTrialWorker(HangfireSweepOptions options, int numberOfThreads = 1, string? dataDirectory = null, Action<string>? log = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            if (numberOfThreads < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(numberOfThreads), numberOfThreads, "A worker needs at least 1 libtorch thread.");
            }
            PostgreSqlStorage storage = SweepStorage.Open(options);
            _executor = new TrialJobExecutor(numberOfThreads, dataDirectory, log);
            _server = new BackgroundJobServer(new BackgroundJobServerOptions
            {
                WorkerCount = 1,
                Queues = new[] { options.Queue },
                Activator = new Activator(_executor),
                ServerName = $"weightinit-worker:{Environment.MachineName}:{Environment.ProcessId}",
                SchedulePollingInterval = options.PollInterval,
                ShutdownTimeout = TimeSpan.FromSeconds(30),
                // A killed worker's server entry must vanish within the invisibility timeout: the driver requeues a
                // trial whose server is gone (Hangfire.PostgreSql hands out never-fetched jobs before abandoned ones,
                // so without that the trial would wait behind every queued trial).
                HeartbeatInterval = Clamp(options.InvisibilityTimeout / 4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
                ServerTimeout = options.InvisibilityTimeout,
                ServerCheckInterval = Clamp(options.InvisibilityTimeout / 4, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)),
            }, storage);
        }

        private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
            value < min ? min : value > max ? max : value;

        /// <summary>Trials this worker finished.</summary>
        public int TrialsRun => _executor.TrialsRun;

        /// <summary>Runs until the token is signalled, then stops (a running trial goes back to the queue).</summary>
        /// <param name="cancellationToken">Stops the worker.</param>
        /// <returns>A task that ends when the worker has stopped.</returns>
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            _server.SendStop();
            await _server.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _server.Dispose();
            _executor.Dispose();
        }

        /// <summary>Creates trial jobs bound to this worker's executor.</summary>
        private sealed class Activator(TrialJobExecutor executor) : JobActivator
        {
            public override object ActivateJob(Type jobType) =>
                jobType == typeof(TrialJob) ? new TrialJob(executor) : base.ActivateJob(jobType);
        }
    }
}
