using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// A sweep over initializers (AutoML's experiment): the tuner proposes candidates and budgets, every candidate runs
    /// once per seed and fold through the trial runner, and the results are ranked on the chosen metric. With a trial
    /// log the sweep survives interruptions: started again, it reads the finished trials and runs only the others.
    /// </summary>
    /// <example><code>
    /// var space = InitializerSearchSpace.Parse("weight=xavier_uniform(gain=0.5..2) | kaiming_uniform(a=0..2.236) | zeros; bias=zeros; epochs=2");
    /// using var runner = new InProcessTrialRunner(mlContext, train);
    /// var sweep = new SweepExperiment(mlContext, new RandomTuner(space, numberOfCandidates: 8, seed: 1), runner,
    ///     new SweepOptions { Seeds = new[] { 1, 2 }, TrialLogPath = "sweep.jsonl", MaxTime = TimeSpan.FromHours(2) });
    /// using var result = sweep.Run(cancellationToken);
    /// Console.WriteLine(result.Leaderboard.Best?.Candidate.Key);
    /// </code></example>
    public sealed class SweepExperiment
    {
        /// <summary>Name under which the sweep logs to <c>MLContext.Log</c>.</summary>
        public const string LoadName = "InitCnnSweep";

        private readonly ITuner _tuner;
        private readonly ITrialRunner _runner;
        private readonly SweepOptions _options;
        private readonly IHost _host;

        /// <summary>Creates the experiment.</summary>
        /// <param name="mlContext">The context whose log receives one line per trial.</param>
        /// <param name="tuner">What to try.</param>
        /// <param name="runner">How to run a trial (e.g. <see cref="InProcessTrialRunner"/>).</param>
        /// <param name="options">Metric, seeds, evaluation, trial log, time cap; null for the defaults.</param>
        /// <exception cref="ArgumentException">Invalid options (the message names the option).</exception>
        public SweepExperiment(MLContext mlContext, ITuner tuner, ITrialRunner runner, SweepOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            _tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
            _runner = runner ?? throw new ArgumentNullException(nameof(runner));
            _options = options ?? new SweepOptions();
            Validate(_options, runner);
            _host = ((IHostEnvironment)mlContext).Register(LoadName);
        }

        /// <summary>Runs the sweep on this thread until the tuner is done, the time cap is reached or the token is
        /// signalled; the result says which. Diverged and failed trials are results, not exceptions.</summary>
        /// <param name="cancellationToken">Stops the sweep; the running trial is dropped, finished ones stay logged.</param>
        /// <returns>The result.</returns>
        /// <exception cref="System.IO.IOException">The trial log cannot be opened (e.g. another sweep holds it).</exception>
        /// <exception cref="InvalidOperationException">The trial log was written for other data.</exception>
        public SweepResult Run(CancellationToken cancellationToken = default) => RunAsync(cancellationToken).GetAwaiter().GetResult();

        /// <summary>Runs the sweep (see <see cref="Run"/>); trials run concurrently up to
        /// <see cref="SweepOptions.MaxConcurrentTrials"/>.</summary>
        /// <param name="cancellationToken">Stops the sweep.</param>
        /// <returns>The result.</returns>
        public async Task<SweepResult> RunAsync(CancellationToken cancellationToken = default)
        {
            var o = _options;
            var watch = Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (o.MaxTime is { } maxTime)
            {
                deadline.CancelAfter(maxTime);
            }
            // Every split is counted before any training: an empty fold found after hours of trials, or thousands of
            // trials on empty folds, is worse than an error now.
            (_runner as InProcessTrialRunner)?.CheckEvaluation(o.Evaluation);
            using var channel = _host.Start("Sweep");
            var notes = new List<string>();
            using var log = o.TrialLogPath is null ? null : TrialLog.Open(o.TrialLogPath, _runner.DataDescription);
            var state = new SweepState(log?.Results ?? Array.Empty<TrialResult>(), o);
            if (log?.Repair is { } repair)
            {
                notes.Add(repair);
                channel.Warning(MessageSensitivity.None, repair);
            }
            channel.Info(MessageSensitivity.None, $"Sweep: {_tuner.Description}, metric {o.Metric}, seeds {string.Join(",", o.Seeds)}, {o.Evaluation.TextForm}; data {_runner.DataDescription}; {state.KnownCount} trials in the log.");

            var stop = SweepStopReason.Completed;
            while (true)
            {
                if (o.MaxTime is { } cap && watch.Elapsed >= cap)
                {
                    deadline.Cancel();
                }
                if (deadline.IsCancellationRequested)
                {
                    stop = cancellationToken.IsCancellationRequested ? SweepStopReason.Cancelled : SweepStopReason.TimeLimit;
                    break;
                }
                var budgets = _tuner.Propose(state.Scores);
                var specs = budgets.SelectMany(state.Scores.Trials).ToList();
                foreach (var done in state.Register(specs))
                {
                    o.Monitor?.ReportCompletedTrial(done, fromLog: true);
                }
                var pending = specs.Where(s => !state.IsKnown(s)).ToList();
                if (pending.Count == 0)
                {
                    break;
                }
                int rung = pending.Min(s => s.Rung);
                var batch = budgets.Where(b => b.Rung == rung).ToList();
                pending = pending.Where(s => s.Rung == rung).ToList();
                int batchTrials = specs.Count(s => s.Rung == rung);
                o.Monitor?.ReportBatch(batch, batchTrials, batchTrials - pending.Count);
                channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                    $"Rung {rung}: {batch.Count} candidates, {batchTrials} trials ({batchTrials - pending.Count} already in the log)."));
                Retain(state, batch);
                var stopped = await RunBatchAsync(pending, batch, state, log, channel, deadline, watch, cancellationToken).ConfigureAwait(false);
                if (stopped is { } reason)
                {
                    stop = reason;
                    break;
                }
            }

            var leaderboard = state.Leaderboard();
            var (bestModel, bestTrial) = BestModel(leaderboard, state, deadline.Token, notes, channel);
            (_runner as InProcessTrialRunner)?.ReleasePaused(_ => false);
            channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                $"Sweep {stop}: {state.RunCount} trials run, {state.FromLogCount} from the log, {watch.Elapsed.TotalSeconds:F0} s; best {leaderboard.Best?.Candidate.Key ?? "none"}."));
            return new SweepResult(leaderboard, state.Results(), state.RunCount, state.FromLogCount, stop, watch.Elapsed, bestModel, bestTrial, notes);
        }

        private async Task<SweepStopReason?> RunBatchAsync(List<TrialSpec> pending, IReadOnlyList<CandidateBudget> batch, SweepState state,
            TrialLog? log, IChannel channel, CancellationTokenSource deadline, Stopwatch watch, CancellationToken userToken)
        {
            var token = deadline.Token;
            var maxTime = _options.MaxTime;
            async ValueTask RunOne(TrialSpec spec, CancellationToken t)
            {
                t.ThrowIfCancellationRequested();
                var monitor = _options.Monitor;
                monitor?.ReportRunningTrial(spec);
                // The time cap is also checked by the clock after every batch: CancelAfter's timer callback needs a
                // thread-pool thread, and measured under load it fired up to 2 s late while a trial kept training.
                var progress = monitor is null && maxTime is null ? null : new SynchronousProgress(p =>
                {
                    if (maxTime is { } cap && watch.Elapsed >= cap && !deadline.IsCancellationRequested)
                    {
                        deadline.Cancel();
                    }
                    monitor?.ReportTrainingProgress(spec, p);
                });
                var result = await _runner.RunAsync(spec, progress, t).ConfigureAwait(false);
                if (result.Id != spec.Id)
                {
                    throw new InvalidOperationException($"The trial runner returned the result of trial {result.Id} for trial {spec.Id}.");
                }
                var newBest = state.Add(result, log);
                channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                    $"Trial {spec.Id}: {spec.Candidate.Key}, seed {spec.Seed}, fold {spec.Fold}, {spec.Epochs} epochs → {result.Status} {(result.Metrics is null ? result.Error : $"{_options.Metric} {result.Value(_options.Metric):F4}")} ({result.Seconds:F1} s)"));
                monitor?.ReportCompletedTrial(result, fromLog: false);
                if (newBest is not null)
                {
                    monitor?.ReportBestCandidate(newBest);
                }
                Retain(state, batch);
            }

            try
            {
                if (_options.MaxConcurrentTrials == 1)
                {
                    foreach (var spec in pending)
                    {
                        await RunOne(spec, token).ConfigureAwait(false);
                    }
                }
                else
                {
                    var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentTrials, CancellationToken = token };
                    await Parallel.ForEachAsync(pending, parallel, RunOne).ConfigureAwait(false);
                }
                return null;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return userToken.IsCancellationRequested ? SweepStopReason.Cancelled : SweepStopReason.TimeLimit;
            }
        }

        /// <summary>Keeps in memory only the paused trials that may still be continued or become the sweep's model.</summary>
        private void Retain(SweepState state, IReadOnlyList<CandidateBudget> batch)
        {
            if (_runner is not InProcessTrialRunner local)
            {
                return;
            }
            string? best = state.BestTrial()?.Spec.Key;
            local.ReleasePaused(s => s.Key == best || batch.Any(b => b.Candidate == s.Candidate &&
                (s.Epochs == b.PreviousEpochs || (s.Epochs == b.Epochs && (!b.IsFinal || !state.Scores.IsEvaluated(b.Candidate, b.Epochs))))));
        }

        private (InitCnnTransformer? Model, TrialResult? Trial) BestModel(Leaderboard leaderboard, SweepState state, CancellationToken token,
            List<string> notes, IChannel channel)
        {
            var trial = state.BestTrial();
            if (trial is null || !_options.KeepBestModel || _runner is not InProcessTrialRunner local)
            {
                return (null, trial);
            }
            bool paused = local.IsPaused(trial.Spec);
            if (!paused && token.IsCancellationRequested)
            {
                notes.Add($"The best trial {trial.Id} is no longer in memory and the sweep was stopped: no best model (refit it with SweepCandidate.ToTrainerOptions()).");
                return (null, trial);
            }
            try
            {
                var model = local.CreateModel(trial.Spec, token);
                if (!paused)
                {
                    string note = $"Retrained the best trial {trial.Id} ({trial.Spec.Epochs} epochs) to get its network (it finished before this run).";
                    notes.Add(note);
                    channel.Info(MessageSensitivity.None, note);
                }
                return (model, trial);
            }
            catch (Exception e) when (e is OperationCanceledException or TrainingDivergedException)
            {
                notes.Add($"No best model: retraining trial {trial.Id} stopped ({e.Message}).");
                return (null, trial);
            }
        }

        private static void Validate(SweepOptions o, ITrialRunner runner)
        {
            if (o.Seeds is null || o.Seeds.Count == 0 || o.Seeds.Distinct().Count() != o.Seeds.Count)
            {
                throw new ArgumentException("SweepOptions.Seeds must hold at least one seed, each once.", nameof(o.Seeds));
            }
            ArgumentNullException.ThrowIfNull(o.Evaluation, nameof(o.Evaluation));
            o.Evaluation.Validate();
            if (!Enum.IsDefined(o.Metric))
            {
                throw new ArgumentOutOfRangeException(nameof(o.Metric), o.Metric, "Unknown metric.");
            }
            if (o.MaxTime is { } t && (t <= TimeSpan.Zero || t > SweepOptions.LongestMaxTime))
            {
                throw new ArgumentOutOfRangeException(nameof(o.MaxTime), t,
                    $"MaxTime must be positive and at most {SweepOptions.LongestMaxTime.TotalDays:F0} days (SweepOptions.LongestMaxTime); null for no limit.");
            }
            if (o.MaxConcurrentTrials < 1 || (o.MaxConcurrentTrials > 1 && !runner.SupportsConcurrentTrials))
            {
                throw new ArgumentOutOfRangeException(nameof(o.MaxConcurrentTrials), o.MaxConcurrentTrials,
                    "MaxConcurrentTrials must be 1, or more with a runner that supports concurrent trials (the in-process runner does not).");
            }
        }

        /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
        private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => report(value);
        }
    }
}
