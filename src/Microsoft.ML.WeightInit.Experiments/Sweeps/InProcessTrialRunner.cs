using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Runs trials in this process, one at a time: splits the data as each trial's evaluation says (splits are cached
    /// as tensors), trains with <see cref="TrainingLoop"/>'s protocol, and scores with
    /// <c>mlContext.MulticlassClassification.Evaluate</c>. Finished trials stay paused in memory (a few MB each, up to
    /// <see cref="MaxPausedTrials"/>) so that successive halving continues them and the best one becomes the sweep's
    /// model without retraining.
    /// </summary>
    public sealed class InProcessTrialRunner : ITrialRunner, IDisposable
    {
        private readonly MLContext _mlContext;
        private readonly IDataView _train;
        private readonly IDataView? _validationSet;
        private readonly InputColumns _columns;
        private readonly ImageShape _shape;
        private readonly IHost _host;
        private readonly List<TrialSplit> _splits = new();
        private readonly PausedTrials _paused;
        private int _running;

        /// <summary>Creates a runner over data views.</summary>
        /// <param name="mlContext">The context (its log receives one line per epoch).</param>
        /// <param name="train">The training rows: a key-typed label and a vector of Single features.</param>
        /// <param name="validationSet">Rows for <see cref="SweepEvaluationKind.ValidationSet"/>, or null.</param>
        /// <param name="settings">Training settings shared by every trial; null for the defaults.</param>
        /// <param name="dataDescription">What the data is (recorded in the trial log); null describes it by its row counts.</param>
        /// <param name="maxPausedTrials">Finished trials kept in memory (≥ 0, default 64).</param>
        /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
        public InProcessTrialRunner(MLContext mlContext, IDataView train, IDataView? validationSet = null,
            TrialRunnerSettings? settings = null, string? dataDescription = null, int maxPausedTrials = 64)
        {
            _mlContext = mlContext ?? throw new ArgumentNullException(nameof(mlContext));
            _train = train ?? throw new ArgumentNullException(nameof(train));
            _validationSet = validationSet;
            Settings = settings ?? new TrialRunnerSettings();
            Settings.Validate();
            _columns = new InputColumns(Settings.LabelColumnName, Settings.FeatureColumnName);
            int classes = InputColumns.CheckLabel(train.Schema, _columns.Label);
            var (c, h, w) = InputColumns.CheckFeatures(train.Schema, _columns.Features);
            _shape = new ImageShape(c, h, w, classes);
            if (maxPausedTrials < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxPausedTrials), maxPausedTrials, "Must be 0 or more.");
            }
            _paused = new PausedTrials(maxPausedTrials);
            _host = ((IHostEnvironment)mlContext).Register("InitCnnSweep");
            DataDescription = string.Create(CultureInfo.InvariantCulture,
                $"{dataDescription ?? $"data view ({CountRows(train)} training rows, {(validationSet is null ? "no" : CountRows(validationSet).ToString(CultureInfo.InvariantCulture))} validation rows)"}; {Settings.TextForm}");
        }

        /// <summary>Training settings shared by every trial.</summary>
        public TrialRunnerSettings Settings { get; }

        /// <inheritdoc/>
        public string DataDescription { get; }

        /// <summary>Finished trials kept in memory.</summary>
        public int MaxPausedTrials => _paused.Capacity;

        /// <summary>Finished trials in memory now.</summary>
        public int PausedTrials => _paused.Count;

        /// <summary>Evaluation splits kept as tensors at once (default 5: every fold of a 5-fold cross-validation;
        /// a split of full MNIST takes about 190 MB).</summary>
        public int MaxCachedSplits { get; init; } = 5;

        /// <summary>Loads the data a location names and creates a runner over it.</summary>
        /// <param name="mlContext">The context.</param>
        /// <param name="location">Where the data is.</param>
        /// <param name="settings">Training settings; null for the defaults.</param>
        /// <returns>The runner.</returns>
        public static InProcessTrialRunner Create(MLContext mlContext, SweepDataLocation location, TrialRunnerSettings? settings = null)
        {
            ArgumentNullException.ThrowIfNull(location);
            var (train, validation) = location.Load(mlContext);
            return new InProcessTrialRunner(mlContext, train, validation, settings, location.Description);
        }

        /// <inheritdoc/>
        public Task<TrialResult> RunAsync(TrialSpec spec, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
            Task.FromResult(Run(spec, progress, cancellationToken));

        /// <summary>Runs one trial on this thread.</summary>
        /// <param name="spec">The trial.</param>
        /// <param name="progress">Receives progress after every batch, or null.</param>
        /// <param name="cancellationToken">Stops the trial between batches.</param>
        /// <returns>The result: completed, diverged or failed.</returns>
        /// <exception cref="OperationCanceledException">The token was signalled.</exception>
        /// <exception cref="InvalidOperationException">Another trial is running on this runner, or the data cannot be split.</exception>
        public TrialResult Run(TrialSpec spec, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(spec);
            spec.Validate();
            Enter();
            try
            {
                var started = DateTime.UtcNow;
                var watch = Stopwatch.StartNew();
                var split = Split(spec.Evaluation, spec.Fold);
                var session = _paused.Take(spec.Predecessor());
                int inherited = session?.CompletedEpochs ?? 0;
                var result = new TrialResult
                {
                    Spec = spec,
                    Status = TrialStatus.Completed,
                    StartedAtUtc = started,
                    TrainingRows = split.Train.Count,
                    ValidationRows = split.Validation.Count,
                };
                try
                {
                    session ??= Start(spec, split);
                    Train(session, spec, progress, cancellationToken);
                    result = result with
                    {
                        Metrics = Evaluate(session, spec, split),
                        History = session.History.ToArray(),
                        EpochsTrained = spec.Epochs - inherited,
                        Seconds = watch.Elapsed.TotalSeconds,
                    };
                    _paused.Add(spec, split.Key, session);
                    session = null;
                    return result;
                }
                catch (TrainingDivergedException e)
                {
                    return result with
                    {
                        Status = TrialStatus.Diverged,
                        History = e.CompletedEpochs.ToArray(),
                        EpochsTrained = e.Epoch - inherited,
                        Seconds = watch.Elapsed.TotalSeconds,
                        Error = e.Message,
                        DivergedAtEpoch = e.Epoch,
                        DivergedAtStep = e.Step,
                    };
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    return result with
                    {
                        Status = TrialStatus.Failed,
                        History = session?.History.ToArray() ?? Array.Empty<EpochMetrics>(),
                        EpochsTrained = (session?.CompletedEpochs ?? inherited) - inherited,
                        Seconds = watch.Elapsed.TotalSeconds,
                        Error = $"{e.GetType().Name}: {e.Message}",
                    };
                }
                finally
                {
                    session?.Dispose();
                }
            }
            finally
            {
                Exit();
            }
        }

        /// <summary>
        /// The network of a trial as an ML.NET transformer (owned by the caller): the paused session's network when the
        /// trial is still in memory, otherwise the trial trained again (same seed, same network).
        /// </summary>
        /// <param name="spec">A completed trial.</param>
        /// <param name="cancellationToken">Stops retraining.</param>
        /// <returns>The transformer.</returns>
        /// <exception cref="TrainingDivergedException">The trial diverges.</exception>
        /// <exception cref="OperationCanceledException">The token was signalled.</exception>
        public InitCnnTransformer CreateModel(TrialSpec spec, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(spec);
            spec.Validate();
            Enter();
            try
            {
                var split = Split(spec.Evaluation, spec.Fold);
                var session = _paused.Take(spec) ?? _paused.Take(spec.Predecessor()) ?? Start(spec, split);
                try
                {
                    Train(session, spec, null, cancellationToken);
                    var history = session.History.ToArray();
                    var settings = session.Settings with { NumberOfEpochs = spec.Epochs };
                    return InitCnnTrainer.CreateModel(_mlContext, Settings.TrainerOptions(spec), session.DetachNetwork(), history, settings,
                        _train.Schema[_columns.Label].Annotations);
                }
                finally
                {
                    session.Dispose();
                }
            }
            finally
            {
                Exit();
            }
        }

        /// <summary>Frees paused trials that <paramref name="keep"/> rejects.</summary>
        /// <param name="keep">Which finished trials to keep in memory.</param>
        public void ReleasePaused(Func<TrialSpec, bool> keep)
        {
            ArgumentNullException.ThrowIfNull(keep);
            _paused.Release(keep);
            TrimSplits();
        }

        /// <summary>Whether a finished trial is still in memory.</summary>
        /// <param name="spec">The trial.</param>
        /// <returns>True when <see cref="CreateModel"/> needs no retraining for it.</returns>
        public bool IsPaused(TrialSpec spec) => _paused.Contains(spec);

        /// <summary>Frees every paused trial and cached split.</summary>
        public void Dispose()
        {
            _paused.Dispose();
            foreach (var split in _splits)
            {
                split.Dispose();
            }
            _splits.Clear();
        }

        private TrainingSession Start(TrialSpec spec, TrialSplit split)
        {
            return TrainingSession.Start(split.Train, split.Validation, InitCnnTrainer.SettingsOf(Settings.TrainerOptions(spec)), null);
        }

        private void Train(TrainingSession session, TrialSpec spec, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            using var channel = _host.Start("Trial");
            while (session.CompletedEpochs < spec.Epochs)
            {
                var e = session.RunEpoch(progress, cancellationToken, spec.Epochs);
                channel.Info(MessageSensitivity.None, string.Create(CultureInfo.InvariantCulture,
                    $"Trial {spec.Id} ({spec.Candidate.Architecture}, {spec.Candidate.Weight}, seed {spec.Seed}, fold {spec.Fold}): epoch {e.Epoch}/{spec.Epochs}, training loss {e.TrainingLoss:F4}, validation accuracy {e.ValidationAccuracy:F4}, {e.Seconds:F1} s"));
            }
        }

        private EvaluationMetrics Evaluate(TrainingSession session, TrialSpec spec, TrialSplit split)
        {
            // A view of the session's network as a transformer; not disposed, the session keeps the network.
            var transformer = InitCnnTrainer.CreateModel(_mlContext, Settings.TrainerOptions(spec), session.Network, session.History,
                session.Settings, _train.Schema[_columns.Label].Annotations);
            var m = _mlContext.MulticlassClassification.Evaluate(transformer.Transform(split.ValidationView), _columns.Label);
            return EvaluationMetrics.From(m);
        }

        /// <summary>
        /// Checks, before any training, that every split <paramref name="evaluation"/> makes of this runner's data has
        /// training and validation rows (counted fold by fold: ML.NET assigns rows to folds at random, so even k ≤ rows
        /// can leave a fold empty).
        /// </summary>
        /// <param name="evaluation">The sweep's evaluation.</param>
        /// <exception cref="InvalidOperationException">A split would be empty; the message gives the rows and the fold.</exception>
        public void CheckEvaluation(SweepEvaluation evaluation)
        {
            ArgumentNullException.ThrowIfNull(evaluation);
            evaluation.Validate();
            long rows = CountRows(_train);
            switch (evaluation.Kind)
            {
                case SweepEvaluationKind.CrossValidation:
                    if (evaluation.NumberOfFolds > rows)
                    {
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"{evaluation.NumberOfFolds} folds need at least {evaluation.NumberOfFolds} training rows (one per fold); there are {rows}."));
                    }
                    var folds = _mlContext.Data.CrossValidationSplit(_train, evaluation.NumberOfFolds, seed: evaluation.SplitSeed);
                    for (int fold = 0; fold < folds.Count; fold++)
                    {
                        CheckSides(rows, CountRows(folds[fold].TestSet), $"{evaluation.TextForm}, fold {fold}");
                    }
                    break;
                case SweepEvaluationKind.Holdout:
                    var split = _mlContext.Data.TrainTestSplit(_train, evaluation.ValidationFraction, seed: evaluation.SplitSeed);
                    CheckSides(rows, CountRows(split.TestSet), evaluation.TextForm);
                    break;
                default:
                    if (_validationSet is null || CountRows(_validationSet) == 0)
                    {
                        throw new InvalidOperationException("The sweep scores on a validation set, but the runner has no validation rows.");
                    }
                    break;
            }
        }

        private static void CheckSides(long rows, long validation, string where)
        {
            if (validation == 0 || validation == rows)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"{where} leaves {(validation == 0 ? "no validation rows" : "no training rows")} of the {rows} training rows; use fewer folds, another fraction or more rows."));
            }
        }

        private TrialSplit Split(SweepEvaluation evaluation, int fold)
        {
            string key = TrialSplit.KeyOf(evaluation, fold);
            var split = _splits.FirstOrDefault(s => s.Key == key);
            if (split is not null)
            {
                _splits.Remove(split);
                _splits.Add(split);
                return split;
            }
            split = TrialSplit.Create(_mlContext, _train, _validationSet, evaluation, fold, _columns, _shape, Settings);
            _splits.Add(split);
            TrimSplits();
            return split;
        }

        /// <summary>Drops the least recently used splits beyond the cap, except those paused trials train on.</summary>
        private void TrimSplits()
        {
            foreach (var split in _splits.Take(Math.Max(0, _splits.Count - MaxCachedSplits)).Where(s => !_paused.Uses(s.Key)).ToList())
            {
                split.Dispose();
                _splits.Remove(split);
            }
        }

        private void Enter()
        {
            if (Interlocked.Exchange(ref _running, 1) != 0)
            {
                throw new InvalidOperationException("InProcessTrialRunner runs one trial at a time (libtorch's threads are process-wide); use MaxConcurrentTrials = 1.");
            }
        }

        private void Exit() => Interlocked.Exchange(ref _running, 0);

        private static long CountRows(IDataView data)
        {
            long? known = data.GetRowCount();
            if (known.HasValue)
            {
                return known.Value;
            }
            long n = 0;
            using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
            while (cursor.MoveNext())
            {
                n++;
            }
            return n;
        }
    }
}
