using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.WeightInit.Experiments;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>
    /// A Spectre.Console progress bar per comparison run (initializer, seed) showing epoch, step, loss and images/s,
    /// and how the run ended, one bar per run in progress when several train at once; without a live console, one line
    /// per finished epoch and per finished run. The comparison serializes its reports, so the callbacks never overlap.
    /// </summary>
    public static class ComparisonProgressDisplay
    {
        /// <summary>Runs <paramref name="compare"/> with a progress reporter wired to the display.</summary>
        public static T Run<T>(Func<IProgress<ComparisonProgress>, T> compare)
        {
            if (!AnsiConsole.Profile.Capabilities.Interactive)
            {
                return compare(new SynchronousProgress(p =>
                {
                    if (p.Training is { } t && t.Step == t.StepsPerEpoch)
                    {
                        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"[{p.RunIndex + 1}/{p.RunCount}] {p.Initializer} seed {p.Seed}: epoch {t.Epoch}/{t.NumberOfEpochs}, {t.StepsPerEpoch} steps, last loss {t.Loss:F4}, {t.ImagesPerSecond:F0} images/s"));
                    }
                    else if (p.Finished is { } run)
                    {
                        AnsiConsole.WriteLine($"[{p.RunIndex + 1}/{p.RunCount}] {p.Initializer} seed {p.Seed}: {Outcome(run)}");
                    }
                }));
            }
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    // One task per active run, keyed by run index: with --concurrent several train at once.
                    var active = new Dictionary<int, (ProgressTask Task, string Label)>();
                    result = compare(new SynchronousProgress(p =>
                    {
                        string label = Markup.Escape($"[{p.RunIndex + 1}/{p.RunCount}] {p.Initializer} seed {p.Seed}");
                        if (p.Training is null && p.Finished is null)
                        {
                            active[p.RunIndex] = (context.AddTask(label, maxValue: 1), label);
                            return;
                        }
                        if (!active.TryGetValue(p.RunIndex, out var entry))
                        {
                            return;
                        }
                        var task = entry.Task;
                        if (p.Training is { } t)
                        {
                            task.MaxValue = (double)t.StepsPerEpoch * t.NumberOfEpochs;
                            task.Value = (double)(t.Epoch - 1) * t.StepsPerEpoch + t.Step;
                            if (t.Step % 20 == 0 || t.Step == t.StepsPerEpoch)
                            {
                                task.Description = label + string.Create(CultureInfo.InvariantCulture,
                                    $": epoch {t.Epoch}/{t.NumberOfEpochs} step {t.Step}/{t.StepsPerEpoch} loss {t.Loss:F4} {t.ImagesPerSecond:F0} img/s");
                            }
                        }
                        else if (p.Finished is { } run)
                        {
                            string color = run.Status switch { RunStatus.Learned => "green", RunStatus.Stuck => "yellow", _ => "red" };
                            task.Description = $"{label}: [{color}]{Markup.Escape(Outcome(run))}[/]";
                            task.Value = task.MaxValue;
                            task.StopTask();
                            active.Remove(p.RunIndex);
                        }
                    }));
                    foreach (var (task, label) in active.Values)
                    {
                        // Cancelled (or stopped by a failure) mid-run: that run is dropped from the results.
                        task.Description = $"{label}: [yellow]cancelled (not in the results)[/]";
                        task.StopTask();
                    }
                });
            return result;
        }

        private static string Outcome(RunResult run) => run.Status switch
        {
            RunStatus.Diverged => string.Create(CultureInfo.InvariantCulture,
                $"DIVERGED at epoch {run.Divergence!.Epoch}, step {run.Divergence.Step} ({(run.Divergence.Parameter is null ? $"loss {run.Divergence.Loss}" : $"{run.Divergence.Parameter} non-finite")}), {run.Seconds:F0} s"),
            RunStatus.Failed => $"FAILED: {run.Note}",
            _ => string.Create(CultureInfo.InvariantCulture,
                $"{run.Status.ToString().ToLowerInvariant()}, loss {run.FinalLoss:F4}, accuracy {run.FinalAccuracy:F4}, {run.Seconds:F0} s"),
        };

        /// <summary>Reports on the calling thread.</summary>
        private sealed class SynchronousProgress(Action<ComparisonProgress> report) : IProgress<ComparisonProgress>
        {
            public void Report(ComparisonProgress value) => report(value);
        }
    }
}
