using System;
using System.Threading;
using Microsoft.ML.WeightInit.Sweeps;

namespace Microsoft.ML.WeightInit.Hangfire
{
    /// <summary>
    /// A worker's side of the trial jobs: one trial at a time (libtorch's thread pool is process-wide), the data of the
    /// last request kept loaded (with its checksum and cached splits) for the next trial over the same data.
    /// </summary>
    internal sealed class TrialJobExecutor : IDisposable
    {
        private readonly object _gate = new();
        private readonly int _threads;
        private readonly string? _dataDirectory;
        private readonly Action<string>? _log;
        private (SweepDataLocation Data, TrialRunnerSettings Settings)? _key;
        private InProcessTrialRunner? _runner;
        private string? _checksum;

        /// <param name="threads">libtorch threads of every trial (overrides the request's).</param>
        /// <param name="dataDirectory">MNIST directory of this worker, overriding the request's; null to use the request's.</param>
        /// <param name="log">Receives one line per trial started and finished.</param>
        public TrialJobExecutor(int threads, string? dataDirectory, Action<string>? log)
        {
            _threads = threads;
            _dataDirectory = dataDirectory;
            _log = log;
        }

        /// <summary>Trials this worker finished.</summary>
        public int TrialsRun { get; private set; }

        public string Run(string trialId, string payload, CancellationToken cancellationToken)
        {
            var (request, announced) = TrialJobPayload.Parse(trialId, payload);
            lock (_gate)
            {
                var data = _dataDirectory is null ? request.Data : request.Data with { MnistDirectory = _dataDirectory };
                var settings = request.Settings with { NumberOfThreads = _threads };
                var runner = Runner(data, settings, out string checksum);
                if (checksum != announced)
                {
                    string message = $"Worker {Environment.MachineName} (pid {Environment.ProcessId}): its data {data.Description} has SHA-256 {checksum}, " +
                        $"the driver announced {announced} for {request.Data.Description}. Give the worker the driver's files (worker --data DIR) and the same row counts.";
                    _log?.Invoke($"Trial {trialId}: refused: {message}");
                    throw new TrialDataMismatchException(message);
                }
                _log?.Invoke($"Trial {trialId}: {request.Spec.Candidate.Key}, seed {request.Spec.Seed}, fold {request.Spec.Fold}, {request.Spec.Epochs} epochs: started.");
                var result = runner.Run(request.Spec, null, cancellationToken);
                TrialsRun++;
                _log?.Invoke($"Trial {trialId}: {result.Status}{(result.Metrics is null ? $" ({result.Error})" : $", MicroAccuracy {result.Metrics.MicroAccuracy:F4}")}, {result.Seconds:F1} s.");
                return SweepJson.Serialize(result);
            }
        }

        private InProcessTrialRunner Runner(SweepDataLocation data, TrialRunnerSettings settings, out string checksum)
        {
            if (_runner is null || _key != (data, settings))
            {
                _runner?.Dispose();
                _runner = null;
                var mlContext = new MLContext(seed: 0);
                var (train, validation) = data.Load(mlContext);
                _checksum = DataChecksum.Compute(train, validation, settings);
                _runner = new InProcessTrialRunner(mlContext, train, validation, settings, data.Description, maxPausedTrials: 0);
                _key = (data, settings);
            }
            checksum = _checksum!;
            return _runner;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _runner?.Dispose();
                _runner = null;
            }
        }
    }
}
