using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.ML.WeightInit.Training;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>
    /// Shows a sweep as it runs: with a live console, a Spectre.Console progress display (trials of the rung, the
    /// running trial's steps); otherwise one line per finished trial.
    /// </summary>
    public sealed class SweepConsoleMonitor : ISweepMonitor
    {
        private readonly SweepMetric _metric;
        private ProgressContext? _context;
        private ProgressTask? _trials;
        private ProgressTask? _current;
        private int _done;

        /// <summary>Creates the monitor.</summary>
        public SweepConsoleMonitor(SweepMetric metric)
        {
            _metric = metric;
        }

        /// <summary>Runs <paramref name="sweep"/> inside the live display (if the console has one).</summary>
        public T Run<T>(Func<T> sweep)
        {
            if (!AnsiConsole.Profile.Capabilities.Interactive)
            {
                return sweep();
            }
            T result = default!;
            AnsiConsole.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    _context = context;
                    result = sweep();
                });
            _context = null;
            return result;
        }

        /// <inheritdoc/>
        public void ReportBatch(IReadOnlyList<CandidateBudget> batch, int trials, int alreadyDone)
        {
            string text = string.Create(CultureInfo.InvariantCulture,
                $"Rung {batch[0].Rung}: {batch.Count} candidates × {batch[0].Epochs} epochs = {trials} trials ({alreadyDone} already in the trial log)");
            _done = alreadyDone;
            if (_context is null)
            {
                AnsiConsole.WriteLine(text);
                return;
            }
            _trials = _context.AddTask(Markup.Escape(text), maxValue: trials);
            _trials.Value = alreadyDone;
        }

        /// <inheritdoc/>
        public void ReportRunningTrial(TrialSpec trial)
        {
            if (_context is not null)
            {
                _current?.StopTask();
                _current = _context.AddTask(Markup.Escape(Describe(trial)), maxValue: 1);
            }
        }

        /// <inheritdoc/>
        public void ReportTrainingProgress(TrialSpec trial, TrainingProgress progress)
        {
            if (_current is not null)
            {
                _current.MaxValue = (double)progress.NumberOfEpochs * progress.StepsPerEpoch;
                _current.Value = (double)(progress.Epoch - 1) * progress.StepsPerEpoch + progress.Step;
            }
        }

        /// <inheritdoc/>
        public void ReportCompletedTrial(TrialResult result, bool fromLog)
        {
            if (fromLog)
            {
                return;
            }
            _done++;
            if (_trials is not null)
            {
                _trials.Value = _done;
            }
            if (_current is not null)
            {
                _current.Value = _current.MaxValue;
                _current.StopTask();
                _current = null;
            }
            string outcome = result.Status == TrialStatus.Completed
                ? string.Create(CultureInfo.InvariantCulture, $"{_metric} {result.Value(_metric):F4}")
                : $"{result.Status.ToString().ToLowerInvariant()} ({result.Error})";
            string line = string.Create(CultureInfo.InvariantCulture, $"{Describe(result.Spec)}: {outcome}, {result.Seconds:F1} s");
            if (_context is null)
            {
                AnsiConsole.WriteLine(line);
            }
            else if (_trials is not null)
            {
                _trials.Description = Markup.Escape($"{_done}/{_trials.MaxValue:F0} trials; last: {line}");
            }
        }

        private static string Describe(TrialSpec t) => string.Create(CultureInfo.InvariantCulture,
            $"trial {t.Id} {t.Candidate.Architecture}: {t.Candidate.Weight} / {t.Candidate.Bias}, lr {t.Candidate.LearningRate}, seed {t.Seed}, fold {t.Fold}, {t.Epochs} ep.");
    }
}
