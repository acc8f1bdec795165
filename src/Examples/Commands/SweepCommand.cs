using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Examples.Output;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// An AutoML-style sweep over initializers: a tuner proposes candidates from a search space, each runs per seed (and
    /// fold), the leaderboard ranks them; finished trials go to a trial log, so an interrupted sweep resumes.
    /// </summary>
    public sealed class SweepCommand : Command<SweepCommand.Settings>
    {
        /// <summary>Options of <c>sweep</c>.</summary>
        public sealed class Settings : DataSettings
        {
            /// <summary>Tuner.</summary>
            [CommandOption("-t|--tuner <TUNER>")]
            [Description("random (seeded sample), grid, or halving (successive halving over a random sample; over the grid with --candidates 0). Default: random.")]
            public string Tuner { get; init; } = "random";

            /// <summary>Random candidates.</summary>
            [CommandOption("-n|--candidates <N>")]
            [Description("Candidates to draw (random, halving). Default: 8.")]
            public int Candidates { get; init; } = 8;

            /// <summary>Tuner seed.</summary>
            [CommandOption("--tuner-seed <SEED>")]
            [Description("Seed of the random draws. Default: 1.")]
            public int TunerSeed { get; init; } = 1;

            /// <summary>Weight domains.</summary>
            [CommandOption("-w|--weights <DOMAINS>")]
            [Description("Weight initializers to try, separated by '|' outside parentheses; parameters take a value, a choice a|b or a range lo..hi (:log, :int). Default: \"xavier_uniform(gain=0.5..2) | kaiming_uniform(a=0..2.236, mode=fan_in|fan_out) | zeros | ones\".")]
            public string Weights { get; init; } = "xavier_uniform(gain=0.5..2) | kaiming_uniform(a=0..2.236, mode=fan_in|fan_out) | zeros | ones";

            /// <summary>Bias domains.</summary>
            [CommandOption("-b|--biases <DOMAINS>")]
            [Description("Bias initializers to try. Default: zeros (the seed article's protocol).")]
            public string Biases { get; init; } = "zeros";

            /// <summary>Learning rates.</summary>
            [CommandOption("--lr <DOMAIN>")]
            [Description("Learning rates: a value, a|b, or lo..hi:log. Default: 0.01.")]
            public string LearningRate { get; init; } = "0.01";

            /// <summary>Momenta.</summary>
            [CommandOption("--momentum <DOMAIN>")]
            [Description("Momenta. Default: 0.5.")]
            public string Momentum { get; init; } = "0.5";

            /// <summary>Epochs.</summary>
            [CommandOption("-e|--epochs <DOMAIN>")]
            [Description("Epochs per trial (a value or a|b); with --tuner halving, the largest is the last rung's budget. Default: 2 (train's default is 5: sweeps run many trials).")]
            public string Epochs { get; init; } = "2";

            /// <summary>Halving's first budget.</summary>
            [CommandOption("--min-epochs <N>")]
            [Description("Successive halving: epochs of the first rung. Default: 1.")]
            public int MinEpochs { get; init; } = 1;

            /// <summary>Halving's factor.</summary>
            [CommandOption("--eta <N>")]
            [Description("Successive halving: one in ETA candidates goes on, with ETA times the epochs. Default: 3.")]
            public int ReductionFactor { get; init; } = 3;

            /// <summary>Grid points per range.</summary>
            [CommandOption("--steps <N>")]
            [Description("Grid: points per range parameter. Default: 3.")]
            public int StepsPerRange { get; init; } = 3;

            /// <summary>Seeds.</summary>
            [CommandOption("--seeds <LIST>")]
            [Description("Comma-separated seeds; each candidate runs once per seed (mean ± std). Default: 1.")]
            public string Seeds { get; init; } = "1";

            /// <summary>Evaluation.</summary>
            [CommandOption("--validation <EVAL>")]
            [Description("holdout[[:FRACTION]] (of the training split), cv[[:K]] (k-fold), or test (the test split). Default: holdout:0.2.")]
            public string Validation { get; init; } = "holdout:0.2";

            /// <summary>Metric.</summary>
            [CommandOption("-m|--metric <METRIC>")]
            [Description("MicroAccuracy, MacroAccuracy or LogLoss. Default: MicroAccuracy.")]
            public string Metric { get; init; } = nameof(SweepMetric.MicroAccuracy);

            /// <summary>Trial log.</summary>
            [CommandOption("-l|--log <PATH>")]
            [Description("Trial log (JSON lines); run the same command again to resume. Default: artifacts/sweep/trials.jsonl.")]
            public string Log { get; init; } = "artifacts/sweep/trials.jsonl";

            /// <summary>No trial log.</summary>
            [CommandOption("--no-log")]
            [Description("Keep no trial log.")]
            public bool NoLog { get; init; }

            /// <summary>CSV output.</summary>
            [CommandOption("--csv <PATH>")]
            [Description("Write the leaderboard as CSV.")]
            public string? Csv { get; init; }

            /// <summary>JSON output.</summary>
            [CommandOption("--json <PATH>")]
            [Description("Write the leaderboard as JSON.")]
            public string? Json { get; init; }

            /// <summary>Model output.</summary>
            [CommandOption("--save-model <PATH>")]
            [Description("Save the best trial's model as an ML.NET model zip (mlContext.Model.Save).")]
            public string? SaveModel { get; init; }

            /// <summary>Time cap.</summary>
            [CommandOption("--max-time <TIME>")]
            [Description("Stop after this long: 90s, 30m, 2h or hh:mm:ss. Default: none.")]
            public string? MaxTime { get; init; }

            /// <summary>Training rows.</summary>
            [CommandOption("--train-rows <N>")]
            [Description("Use the first N training images (0 = all). Default: 0.")]
            public int TrainRows { get; init; }

            /// <summary>Test rows.</summary>
            [CommandOption("--test-rows <N>")]
            [Description("Use the first N test images (0 = all). Default: 0.")]
            public int TestRows { get; init; }

            /// <summary>Batch size.</summary>
            [CommandOption("--batch-size <N>")]
            [Description("Images per SGD step. Default: 64.")]
            public int BatchSize { get; init; } = Trainers.InitCnnTrainer.Defaults.BatchSize;

            /// <summary>Threads.</summary>
            [CommandOption("--threads <N>")]
            [Description("libtorch threads; 0 = one per core. Default: 0.")]
            public int Threads { get; init; }

            /// <summary>The networks the trials train (a dimension of the search space).</summary>
            [CommandOption("-a|--arch <ARCH>")]
            [Description("Network architecture to try: " + ArchitectureForms.List + ". Repeat to make depth a dimension of the search space, crossed with the initializers (--arch \"mlp(depth=10)\" --arch \"mlp(depth=30)\"); the leaderboard ranks every (architecture, initializer) candidate. Default: mnist_net.")]
            public string[]? Architectures { get; init; }

            /// <summary>PostgreSQL connection string.</summary>
            [CommandOption("--storage <CONNECTION>")]
            [Description("Run the trials on workers (weightinit worker --storage …) through this PostgreSQL database (Hangfire storage). Default: none (trials run in this process).")]
            public string? Storage { get; init; }

            /// <summary>Queue.</summary>
            [CommandOption("--queue <NAME>")]
            [Description("With --storage: the Hangfire queue the workers listen on. Default: weightinit.")]
            public string Queue { get; init; } = Hangfire.HangfireSweepOptions.DefaultQueue;

            /// <summary>Trials in flight.</summary>
            [CommandOption("--concurrent <N>")]
            [Description("With --storage: trials queued or running at once (within a rung). Default: 8.")]
            public int? Concurrent { get; init; }

            /// <summary>Checks the options.</summary>
            public override ValidationResult Validate()
            {
                if (Storage is not null && StorageSettings.Error(() => StorageOptions.Create(Storage, Queue, null)) is { } storageError)
                {
                    return ValidationResult.Error(storageError);
                }
                if (Concurrent is not null && Storage is null)
                {
                    return ValidationResult.Error("--concurrent needs --storage (trials run one at a time in process).");
                }
                if (Concurrent < 1)
                {
                    return ValidationResult.Error($"--concurrent must be at least 1; got {Concurrent}.");
                }
                if (base.Validate() is { Successful: false } data)
                {
                    return data;
                }
                if (BatchSize < 1)
                {
                    return ValidationResult.Error($"--batch-size must be at least 1; got {BatchSize}.");
                }
                foreach (string arch in Architectures ?? Array.Empty<string>())
                {
                    if (!NetworkArchitecture.TryParse(arch, out _, out string? archError))
                    {
                        return ValidationResult.Error($"--arch '{arch}': {archError}");
                    }
                }
                if (SgdSettings.ThreadsError(Threads) is { } threads)
                {
                    return ValidationResult.Error(threads);
                }
                if (TrainRows < 0 || TestRows < 0)
                {
                    return ValidationResult.Error("--train-rows and --test-rows must be 0 (all) or more.");
                }
                foreach (var (option, path) in new[] { ("--log", NoLog ? null : Log), ("--csv", Csv), ("--json", Json), ("--save-model", SaveModel) })
                {
                    if (path is not null && (option == "--log" ? OutputPaths.CheckRegularFile(option, path) : OutputPaths.CheckFile(option, path)) is { } error)
                    {
                        return ValidationResult.Error(error);
                    }
                }
                // The initializer domains alone first, so that an error names the option that holds it.
                foreach (var (option, space) in new[] { ("-w/--weights", $"weight={Weights}"), ("-b/--biases", $"weight=zeros; bias={Biases}") })
                {
                    try
                    {
                        _ = InitializerSearchSpace.Parse(space);
                    }
                    catch (FormatException e)
                    {
                        return ValidationResult.Error($"{option}: {e.Message}");
                    }
                }
                try
                {
                    SweepSetup.Create(this);
                    return ValidationResult.Success();
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    return ValidationResult.Error(CommandLineMessage(e));
                }
            }

            /// <summary>The library's parameter names, as the options that set them.</summary>
            private static readonly Dictionary<string, string> OptionOf = new()
            {
                ["minEpochs"] = "--min-epochs", ["maxEpochs"] = "-e/--epochs", ["reductionFactor"] = "--eta",
                ["stepsPerRange"] = "--steps", ["numberOfCandidates"] = "-n/--candidates", ["Seeds"] = "--seeds",
            };

            /// <summary>An error of the sweep API, worded for the command line: the option instead of the parameter.</summary>
            private static string CommandLineMessage(Exception e)
            {
                if (e is not ArgumentException { ParamName: { } name } a || !OptionOf.TryGetValue(name, out string? option))
                {
                    return e.Message;
                }
                string text = ParameterErrors.ReasonOf(a);
                return a is ArgumentOutOfRangeException { ActualValue: { } value } ? $"{option}: {text} Got {value}." : $"{option}: {text}";
            }
        }

        /// <summary>The in-process runner; too few rows for two classes is an error naming --train-rows.</summary>
        private static InProcessTrialRunner CreateInProcess(MLContext mlContext, SweepDataLocation location, TrialRunnerSettings trialSettings, int trainRows)
        {
            try
            {
                return InProcessTrialRunner.Create(mlContext, location, trialSettings);
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName == "labelColumn" && trainRows > 0)
            {
                throw new ArgumentException($"--train-rows {trainRows}: the first {trainRows} training rows hold fewer than 2 classes; use more rows.", e);
            }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            var setup = SweepSetup.Create(settings);
            var mlContext = new MLContext(seed: 0);
            var (directory, source) = MnistData.Locate(settings);
            var location = new SweepDataLocation { MnistDirectory = directory, TrainRows = settings.TrainRows, ValidationRows = settings.TestRows };
            var trialSettings = new TrialRunnerSettings
            {
                BatchSize = settings.BatchSize,
                NumberOfThreads = settings.Threads,
            };
            ITrialRunner runner = settings.Storage is null ? CreateInProcess(mlContext, location, trialSettings, settings.TrainRows)
                : new Hangfire.HangfireTrialRunner(StorageOptions.Create(settings.Storage, settings.Queue, null), location, trialSettings,
                    log: line => AnsiConsole.MarkupLineInterpolated($"[yellow]{line}[/]"));
            using var disposeRunner = runner as IDisposable;
            if (runner is Hangfire.HangfireTrialRunner remote)
            {
                setup.Options.MaxConcurrentTrials = settings.Concurrent ?? 8;
                setup.Options.KeepBestModel = false;
                AnsiConsole.MarkupLineInterpolated($"Workers: queue [bold]{settings.Queue}[/] on PostgreSQL at {StorageOptions.Create(settings.Storage!, settings.Queue, null).Endpoint}, up to {setup.Options.MaxConcurrentTrials} trials at once; data SHA-256 {remote.DataChecksum[..16]}…");
            }
            AnsiConsole.MarkupLineInterpolated($"Data: [bold]{source}[/] ({location.Description})");
            try
            {
                (runner as InProcessTrialRunner)?.CheckEvaluation(setup.Options.Evaluation);
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException($"--validation '{settings.Validation}' on {location.Description}: {e.Message}", e);
            }
            AnsiConsole.MarkupLineInterpolated($"Search space: [bold]{setup.Space.TextForm}[/]");
            AnsiConsole.MarkupLineInterpolated($"Tuner: [bold]{setup.Tuner.Description}[/], seeds {settings.Seeds}, {setup.Options.Evaluation.TextForm}, metric {setup.Options.Metric}{(setup.Options.MaxTime is { } t ? $", max time {t}" : "")}");
            if (setup.Options.TrialLogPath is { } log)
            {
                AnsiConsole.MarkupLineInterpolated($"Trial log: [bold]{System.IO.Path.GetFullPath(log)}[/] (run the same command again to resume)");
            }

            var monitor = new SweepConsoleMonitor(setup.Options.Metric);
            setup.Options.Monitor = monitor;
            var experiment = new SweepExperiment(mlContext, setup.Tuner, runner, setup.Options);
            using var result = monitor.Run(() => experiment.Run(cancellationToken));

            AnsiConsole.Write(LeaderboardTable.Create(result.Leaderboard, string.Create(CultureInfo.InvariantCulture,
                $"Leaderboard ({result.StopReason}: {result.TrialsRun} trials run, {result.TrialsFromLog} from the log, {result.EpochsTrained} epochs, {result.Elapsed.TotalSeconds:F0} s)")));
            foreach (string note in result.Notes)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{note}[/]");
            }
            if (settings.Csv is not null)
            {
                LeaderboardExport.SaveCsv(result.Leaderboard, settings.Csv);
            }
            if (settings.Json is not null)
            {
                LeaderboardExport.SaveJson(result.Leaderboard, settings.Json);
            }
            if (result.BestModel is { } best && result.BestTrial is { } trial)
            {
                AnsiConsole.MarkupLineInterpolated($"Best: [bold]{trial.Spec.Candidate.Key}[/] (trial {trial.Id}, seed {trial.Spec.Seed}, fold {trial.Spec.Fold})");
                var (train, test) = location.Load(mlContext);
                var metrics = mlContext.MulticlassClassification.Evaluate(best.Transform(test));
                AnsiConsole.Write(MetricsTable.Create(metrics));
                if (settings.SaveModel is not null && result.StopReason == SweepStopReason.Cancelled)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]Cancelled: {settings.SaveModel} left as it was (the best model of an interrupted sweep is not saved; run the command again to resume).[/]");
                }
                else if (settings.SaveModel is not null)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.SaveModel))!);
                    mlContext.Model.SaveAtomically(best, train.Schema, settings.SaveModel); // never a partial zip
                    AnsiConsole.MarkupLineInterpolated($"Saved the best model to [bold]{settings.SaveModel}[/] (load it with mlContext.Model.LoadInitCnn).");
                }
            }
            if (settings.SaveModel is not null && result.BestModel is null && result.StopReason != SweepStopReason.Cancelled)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Error: no model saved to {settings.SaveModel}: {(result.BestTrial is null ? "no trial completed" : "the best trial's network is not available (see the notes above)")}.[/]");
                return 1;
            }
            return result.StopReason == SweepStopReason.Completed ? 0 : 2;
        }

        /// <summary>The search space, tuner and options the settings describe.</summary>
        internal sealed record SweepSetup(InitializerSearchSpace Space, ITuner Tuner, SweepOptions Options)
        {
            public static SweepSetup Create(Settings s)
            {
                // --arch values were checked one by one (Validate); the space reads them as its arch= entry.
                string arch = s.Architectures is { Length: > 0 } archs ? $"; arch={string.Join(" | ", archs)}" : string.Empty;
                var space = InitializerSearchSpace.Parse($"weight={s.Weights}; bias={s.Biases}; lr={s.LearningRate}; momentum={s.Momentum}; epochs={s.Epochs}{arch}");
                var epochs = space.NumberOfEpochs.GridValues(2).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList();
                ITuner tuner = s.Tuner switch
                {
                    "random" => new RandomTuner(space, s.Candidates, s.TunerSeed),
                    "grid" => new GridTuner(space, s.StepsPerRange),
                    "halving" when s.Candidates > 0 => SuccessiveHalvingTuner.OverRandom(space, s.Candidates, s.TunerSeed, s.MinEpochs, epochs.Max(), s.ReductionFactor),
                    "halving" => SuccessiveHalvingTuner.OverGrid(space, s.MinEpochs, epochs.Max(), s.ReductionFactor, s.StepsPerRange),
                    _ => throw new ArgumentException($"Unknown tuner '{s.Tuner}': expected random, grid or halving."),
                };
                var options = new SweepOptions
                {
                    Metric = Enum.TryParse<SweepMetric>(s.Metric, ignoreCase: true, out var metric) && Enum.IsDefined(metric)
                        ? metric : throw new ArgumentException($"Unknown metric '{s.Metric}': expected MicroAccuracy, MacroAccuracy or LogLoss."),
                    Seeds = s.Seeds.Split(',', StringSplitOptions.TrimEntries)
                        .Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
                            : throw new ArgumentException($"--seeds '{s.Seeds}': '{x}' is not an integer (expected e.g. 1,2,3).")).ToArray(),
                    Evaluation = Evaluation(s.Validation),
                    TrialLogPath = s.NoLog ? null : s.Log,
                    MaxTime = s.MaxTime is null ? null : Duration(s.MaxTime),
                };
                if (options.Seeds.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    throw new ArgumentException($"--seeds '{s.Seeds}' lists seed {twice.Key} twice; expected distinct seeds, e.g. 1,2,3.");
                }
                return new SweepSetup(space, tuner, options);
            }

            private static SweepEvaluation Evaluation(string text)
            {
                string expected = $"expected holdout, holdout:FRACTION (0 < FRACTION < 1), cv, cv:K (2 ≤ K ≤ {SweepEvaluation.MaxFolds}) or test";
                var parts = text.Split(':', 2);
                string arg = parts.Length > 1 ? parts[1].Trim() : string.Empty;
                return parts[0].Trim() switch
                {
                    "test" when arg.Length == 0 => SweepEvaluation.ValidationSet,
                    "holdout" when arg.Length == 0 => SweepEvaluation.Holdout(0.2),
                    "holdout" when double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && f < 1 =>
                        SweepEvaluation.Holdout(f),
                    "cv" when arg.Length == 0 => SweepEvaluation.CrossValidation(5),
                    "cv" when int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 2 && k <= SweepEvaluation.MaxFolds =>
                        SweepEvaluation.CrossValidation(k),
                    _ => throw new ArgumentException($"--validation '{text}': {expected}."),
                };
            }

            private static TimeSpan Duration(string text)
            {
                string t = text.Trim();
                double? seconds = null;
                if (t.Length > 1 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0 && double.IsFinite(n))
                {
                    seconds = t[^1] switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, _ => null };
                }
                if (seconds is null && TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
                {
                    seconds = span.TotalSeconds;
                }
                if (seconds is null)
                {
                    throw new ArgumentException($"--max-time '{text}': expected e.g. 90s, 30m, 2h or hh:mm:ss.");
                }
                // Compared in seconds before any TimeSpan is made: 1e9h overflows TimeSpan, 99999999h the timer.
                if (seconds > SweepOptions.LongestMaxTime.TotalSeconds)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"--max-time '{text}': at most {SweepOptions.LongestMaxTime.TotalHours:F0}h ({SweepOptions.LongestMaxTime.TotalDays:F0} days), the longest a sweep's timer can wait; omit --max-time for no limit."));
                }
                return TimeSpan.FromSeconds(seconds.Value);
            }
        }
    }
}
