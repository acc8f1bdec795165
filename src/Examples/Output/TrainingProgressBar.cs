using System;
using System.Globalization;
using Microsoft.ML.WeightInit.Training;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>A Spectre.Console progress bar per epoch showing step, loss and images/s while a fit runs.</summary>
    public static class TrainingProgressBar
    {
        /// <summary>Runs <paramref name="fit"/> with a progress reporter wired to the bars.</summary>
        public static T Run<T>(int epochs, Func<IProgress<TrainingProgress>, T> fit, string label = "")
        {
            if (!AnsiConsole.Profile.Capabilities.Interactive)
            {
                // No live display (output redirected): one line per finished epoch.
                return fit(new SynchronousProgress<TrainingProgress>(p =>
                {
                    if (p.Step == p.StepsPerEpoch)
                    {
                        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{label}epoch {p.Epoch}/{p.NumberOfEpochs}: {p.StepsPerEpoch} steps, last loss {p.Loss:F4}, {p.ImagesPerSecond:F0} images/s"));
                    }
                }));
            }
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var tasks = new ProgressTask?[epochs + 1];
                    var progress = new SynchronousProgress<TrainingProgress>(p =>
                    {
                        var task = tasks[p.Epoch] ??= context.AddTask($"{label}epoch {p.Epoch}", maxValue: p.StepsPerEpoch);
                        task.Value = p.Step;
                        if (p.Step % 20 == 0 || p.Step == p.StepsPerEpoch)
                        {
                            task.Description = string.Create(CultureInfo.InvariantCulture,
                                $"{label}epoch {p.Epoch}/{p.NumberOfEpochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F4} {p.ImagesPerSecond:F0} img/s");
                        }
                    });
                    result = fit(progress);
                });
            return result;
        }

        /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
        private sealed class SynchronousProgress<TValue>(Action<TValue> report) : IProgress<TValue>
        {
            public void Report(TValue value) => report(value);
        }
    }
}
