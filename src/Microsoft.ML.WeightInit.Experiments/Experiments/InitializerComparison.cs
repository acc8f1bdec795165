using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// The seed article's experiment: trains the MNIST CNN once per (weight initializer, seed) with the same protocol
    /// and records, per epoch, the average test NLL and the test accuracy, then ML.NET's Evaluate metrics of the
    /// trained model. Summarize the result with <see cref="ComparisonSummary"/>.
    /// </summary>
    /// <remarks>
    /// <para>Protocol: biases are zeroed (<see cref="ComparisonOptions.BiasInitializer"/>) for every scheme, while the
    /// <c>pytorch_default</c> row keeps PyTorch's own bias reset, as in the article. Each run seeds its own generator
    /// (initialization and shuffling), so a run does not depend on which runs came before it.</para>
    /// <para>Failures are results, not exceptions: a run whose training loss becomes NaN/∞ is
    /// <see cref="RunStatus.Diverged"/> (with the epoch and step), a run that does not learn is
    /// <see cref="RunStatus.Stuck"/> (<see cref="LearningCriterion"/>), an initializer that rejects a parameter
    /// makes its run <see cref="RunStatus.Failed"/>; the comparison goes on with the next run. Cancellation stops
    /// between batches; the runs finished before are returned with <see cref="ComparisonResult.IsComplete"/> false.</para>
    /// <para>The data are copied into tensors once and shared by every run. Several runs train at once, each on a
    /// dedicated thread, as <see cref="ComparisonOptions.MaxConcurrentRuns"/> says (by default one per core); the
    /// results keep the planned order.</para>
    /// </remarks>
    public static class InitializerComparison
    {
        /// <summary>Name under which the comparison logs to <c>MLContext.Log</c> (one line per epoch, and the
        /// convolution path).</summary>
        public const string LoadName = "InitializerComparison";

        /// <summary>Loads <paramref name="train"/> and <paramref name="test"/> into tensors once and runs the comparison.</summary>
        /// <param name="mlContext">The context used for Evaluate (and its log).</param>
        /// <param name="train">Training rows: a key label of K ≥ 2 values and a known-size Single feature vector
        /// (784 pixels in [0, 1] for MNIST).</param>
        /// <param name="test">Test rows, same columns: scored after every epoch and evaluated after the last.</param>
        /// <param name="options">What to train; null means the article's ten initializers, 5 epochs, seed 1.</param>
        /// <param name="progress">Receives run starts, every batch and run ends, or null. With more than one run at once
        /// (<see cref="ComparisonOptions.MaxConcurrentRuns"/>) it is called from the worker threads, one call at a time
        /// (serialized), the runs' reports interleaved (<see cref="ComparisonProgress.RunIndex"/> tells them apart).</param>
        /// <param name="cancellation">Stops taking new runs, and the runs in progress between batches; finished runs are
        /// kept.</param>
        /// <returns>The finished runs, in planned order (seed by seed, then initializer by initializer).</returns>
        /// <exception cref="FormatException">An initializer text does not parse.</exception>
        /// <exception cref="ArgumentException">Bad options, or columns of the wrong type (the message names them).</exception>
        /// <exception cref="ArgumentOutOfRangeException">A value out of range, such as a negative
        /// <see cref="ComparisonOptions.MaxConcurrentRuns"/>.</exception>
        /// <exception cref="InvalidOperationException">No rows, a missing label or a non-finite feature.</exception>
        public static ComparisonResult Run(MLContext mlContext, IDataView train, IDataView test, ComparisonOptions? options = null,
            IProgress<ComparisonProgress>? progress = null, CancellationToken cancellation = default)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(test);
            options ??= new ComparisonOptions();
            options.ResolveInitializers();
            var shape = ShapeOf(train.Schema, options);
            var testShape = ShapeOf(test.Schema, options);
            if (testShape != shape)
            {
                throw new ArgumentException(
                    $"The test data has images {testShape.Channels}×{testShape.Height}×{testShape.Width} with {testShape.Classes} classes; the training data has {shape.Channels}×{shape.Height}×{shape.Width} with {shape.Classes}.",
                    nameof(test));
            }
            var o = options.TrainerOptions;
            var columns = new InputColumns(o.LabelColumnName, o.FeatureColumnName);
            using var trainTensors = TensorDataset.FromDataView(train, columns, shape, o.NormalizationMean, o.NormalizationStd);
            using var testTensors = TensorDataset.FromDataView(test, columns, shape, o.NormalizationMean, o.NormalizationStd);
            return Run(mlContext, trainTensors, testTensors, test, options, progress, cancellation);
        }

        /// <summary>Runs the comparison on data already in tensors (normalized as the options say).</summary>
        /// <param name="mlContext">The context used for Evaluate (and its log).</param>
        /// <param name="train">Training images and labels.</param>
        /// <param name="test">Test images and labels, scored after every epoch.</param>
        /// <param name="testView">The same test rows as a data view (raw pixels, key label) for ML.NET's Evaluate after
        /// the last epoch, or null to skip Evaluate (<see cref="RunResult.Evaluation"/> stays null).</param>
        /// <param name="options">What to train; null means the article's ten initializers, 5 epochs, seed 1.</param>
        /// <param name="progress">Receives run starts, every batch and run ends, or null; from the worker threads,
        /// serialized, when runs train at once.</param>
        /// <param name="cancellation">Stops taking new runs, and the runs in progress between batches; finished runs are
        /// kept.</param>
        /// <returns>The finished runs, in planned order.</returns>
        /// <exception cref="FormatException">An initializer text does not parse.</exception>
        /// <exception cref="ArgumentException">Bad options, or train and test of different shapes.</exception>
        internal static ComparisonResult Run(MLContext mlContext, TensorDataset train, TensorDataset test, IDataView? testView,
            ComparisonOptions? options = null, IProgress<ComparisonProgress>? progress = null, CancellationToken cancellation = default)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            ArgumentNullException.ThrowIfNull(train);
            ArgumentNullException.ThrowIfNull(test);
            options ??= new ComparisonOptions();
            var columns = options.ResolveInitializers();
            if (train.Shape != test.Shape)
            {
                throw new ArgumentException("The training and test tensors have different image shapes or class counts.", nameof(test));
            }
            var profile = TestSetProfile.Of(test);
            var host = ((IHostEnvironment)mlContext).Register(LoadName);
            using var channel = host.Start("Comparison");
            Action<string> log = line => channel.Info(MessageSensitivity.None, line);
            log(string.Create(CultureInfo.InvariantCulture,
                $"Comparison: {columns.Count} initializers × {options.Seeds.Count} seeds, {train.Count} training and {test.Count} test images; test majority share {profile.MajorityShare:F4}, class-prior cross-entropy {profile.PriorCrossEntropy:F4}."));
            var labelAnnotations = testView?.Schema.GetColumnOrNull(options.TrainerOptions.LabelColumnName)?.Annotations;
            // Seed by seed, then initializer by initializer: the order of the results, whatever the finish order.
            var plan = options.Seeds.SelectMany(seed => columns.Select(c => (Seed: seed, c.Label, c.Weight, c.Bias))).ToList();
            int planned = plan.Count;
            int concurrency = options.ConcurrencyFor(planned);
            var reporting = new Reporting(progress, log);
            int? threads = options.ThreadsPerRun(concurrency);
            if (threads is not null)
            {
                foreach (string line in options.DescribeConcurrency(concurrency, nameof(InitCnnTrainer.Options.NumberOfThreads)))
                {
                    reporting.Log(line);
                }
            }
            var evaluation = new object();
            var results = new RunResult?[planned];
            var watch = Stopwatch.StartNew();

            // Trains planned run i; false when cancelled (the run is dropped).
            bool Train(int i, CancellationToken token)
            {
                var (seed, label, weight, bias) = plan[i];
                reporting.Report(new ComparisonProgress(i, planned, label, seed, options.TrainerOptions.NumberOfEpochs, null, null));
                var batches = progress is null ? null : new BatchProgress(p =>
                    reporting.Report(new ComparisonProgress(i, planned, label, seed, options.TrainerOptions.NumberOfEpochs, p, null)));
                RunResult run;
                try
                {
                    run = RunOne(mlContext, train, test, testView, labelAnnotations, options, profile, label, weight, bias, seed,
                        threads, batches, reporting.Log, evaluation, token);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return false;
                }
                results[i] = run;
                reporting.Report(new ComparisonProgress(i, planned, label, seed, options.TrainerOptions.NumberOfEpochs, null, run));
                return true;
            }

            if (concurrency == 1)
            {
                for (int i = 0; i < planned && !cancellation.IsCancellationRequested && Train(i, cancellation); i++)
                {
                }
            }
            else
            {
                RunConcurrently(planned, concurrency, Train, cancellation);
            }
            var runs = results.Where(r => r is not null).Select(r => r!).ToList();
            return new ComparisonResult(options, columns.Select(c => c.Label).ToArray(), runs, planned,
                runs.Count == planned, profile, train.Count, watch.Elapsed.TotalSeconds);
        }

        /// <summary>Runs <paramref name="train"/> for run indices 0 … <paramref name="planned"/> − 1 on
        /// <paramref name="concurrency"/> dedicated threads (libtorch keeps its thread count per OS thread, so not the
        /// thread pool), each taking the next index in order. Cancellation stops taking new runs; the first unexpected
        /// exception stops the other workers between batches and is rethrown here once they ended.</summary>
        private static void RunConcurrently(int planned, int concurrency, Func<int, CancellationToken, bool> train,
            CancellationToken cancellation)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            int next = -1;
            ExceptionDispatchInfo? failure = null;
            void Work()
            {
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        int i = Interlocked.Increment(ref next);
                        if (i >= planned || !train(i, stop.Token))
                        {
                            return;
                        }
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    try
                    {
                        stop.Cancel();
                    }
                    catch (AggregateException)
                    {
                        // A callback registered on the token threw; the first failure is the one reported.
                    }
                }
            }
            var workers = Enumerable.Range(0, concurrency)
                .Select(k => new Thread(Work) { IsBackground = true, Name = $"{LoadName} run worker {k + 1}" })
                .ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            failure?.Throw();
        }

        private static RunResult RunOne(MLContext mlContext, TensorDataset train, TensorDataset test, IDataView? testView,
            DataViewSchema.Annotations? labelAnnotations, ComparisonOptions options, TestSetProfile profile, string label,
            IWeightInitializer weight, IWeightInitializer bias, long seed, int? threads, IProgress<TrainingProgress>? batches,
            Action<string> log, object evaluation, CancellationToken cancellation)
        {
            var trainerOptions = options.RunOptions(seed, weight, bias);
            if (threads is { } count)
            {
                trainerOptions.NumberOfThreads = count;
            }
            trainerOptions.Progress = batches;
            trainerOptions.CancellationToken = cancellation;
            var watch = Stopwatch.StartNew();
            var steps = new LossThresholdRecorder(options.LossThreshold, options.LossWindow, batches);
            trainerOptions.Progress = steps;
            RunResult Result(RunStatus status, IReadOnlyList<EpochMetrics> history, RunDivergence? divergence, EvaluationMetrics? evaluation, string? note) =>
                new(label, weight.TextForm, bias.TextForm, seed, status, history, divergence, evaluation, watch.Elapsed.TotalSeconds, note)
                {
                    StepsToLoss = steps.StepsToThreshold,
                };

            // Through the trainer, as a fit: the test tensors are scored after every epoch (the history), once.
            InitCnnTransformer model;
            try
            {
                model = InitCnnTrainer.Train(mlContext, trainerOptions, train, test, labelAnnotations, line => log($"{label} seed {seed}: {line}"));
            }
            catch (TrainingDivergedException e)
            {
                string what = e.Parameter is null ? $"training loss became {e.Loss}" : $"parameter {e.Parameter} became NaN/∞";
                return Result(RunStatus.Diverged, e.CompletedEpochs, new RunDivergence(e.Epoch, e.Step, e.Loss, e.Parameter), null,
                    string.Create(CultureInfo.InvariantCulture, $"{what} at epoch {e.Epoch}, step {e.Step}"));
            }
            catch (ArgumentException e)
            {
                return Result(RunStatus.Failed, Array.Empty<EpochMetrics>(), null, null, e.Message);
            }

            using var owned = model;
            var history = model.Model.History;
            var last = history[^1];
            var (status, reason) = options.LearningCriterion.Classify(last.ValidationLoss, last.ValidationAccuracy, profile);
            EvaluationMetrics? evaluationMetrics = null;
            if (testView is not null)
            {
                cancellation.ThrowIfCancellationRequested();
                // One Evaluate at a time: MLContext's catalogs are not documented as thread-safe.
                lock (evaluation)
                {
                    var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(testView), trainerOptions.LabelColumnName);
                    evaluationMetrics = EvaluationMetrics.From(metrics);
                }
            }
            return Result(status, history, null, evaluationMetrics, reason);
        }

        private static ImageShape ShapeOf(DataViewSchema schema, ComparisonOptions options)
        {
            int classes = InputColumns.CheckLabel(schema, options.TrainerOptions.LabelColumnName);
            var (c, h, w) = InputColumns.CheckFeatures(schema, options.TrainerOptions.FeatureColumnName,
                options.TrainerOptions.ImageChannels, options.TrainerOptions.ImageHeight, options.TrainerOptions.ImageWidth);
            return new ImageShape(c, h, w, classes);
        }

        /// <summary>The comparison's progress and log, one call at a time: with concurrent runs they are called from
        /// the worker threads.</summary>
        private sealed class Reporting(IProgress<ComparisonProgress>? progress, Action<string> log)
        {
            private readonly object _gate = new();

            public void Report(ComparisonProgress value)
            {
                if (progress is not null)
                {
                    lock (_gate)
                    {
                        progress.Report(value);
                    }
                }
            }

            public void Log(string line)
            {
                lock (_gate)
                {
                    log(line);
                }
            }
        }

        /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
        private sealed class BatchProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => report(value);
        }
    }
}
