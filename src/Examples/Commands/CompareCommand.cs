using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Examples.Output;
using Microsoft.ML.WeightInit.Examples.Output.Comparison;
using Microsoft.ML.WeightInit.Examples.Output.Signal;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// The seed article's experiment: trains the net once per (initializer, seed), prints the loss and accuracy tables
    /// (epochs × initializers, mean ± std over seeds) and writes them as Markdown, CSV, JSON and a PNG plot.
    /// </summary>
    public sealed class CompareCommand : Command<CompareCommand.Settings>
    {
        /// <summary>Options of <c>compare</c>.</summary>
        public sealed class Settings : SgdSettings
        {
            /// <summary>Initializer text forms.</summary>
            [CommandOption("-i|--init <INIT>")]
            [Description("Weight initializers as text forms; repeat the option or separate them with commas or semicolons (commas inside parentheses belong to the form), e.g. -i \"xavier_uniform, kaiming_normal(mode=fan_out)\". Default: the article's ten: pytorch_default, zeros, ones, uniform, normal, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, orthogonal.")]
            public string[] Init { get; init; } = Array.Empty<string>();

            /// <summary>Bias initializer of the scheme rows.</summary>
            [CommandOption("-b|--bias <INIT>")]
            [Description("Bias initializer of every row but pytorch_default (which keeps its own bias reset). Default: zeros, as the article.")]
            public string Bias { get; init; } = ZerosInitializer.SchemeName;

            /// <summary>Whether pytorch_default takes --bias too.</summary>
            [CommandOption("--default-bias")]
            [Description("pytorch_default takes the --bias initializer too, instead of PyTorch's own bias reset U(±1/√fan_in) (e.g. zero biases for every row, as He et al.'s deep-net protocol). Default: off.")]
            public bool DefaultTakesBias { get; init; }

            /// <summary>Seeds.</summary>
            [CommandOption("--seeds <LIST>")]
            [Description("Seeds, comma-separated (e.g. 1,2,3); every initializer trains once per seed. Default: 1.")]
            public string Seeds { get; init; } = "1";

            /// <summary>Training rows kept.</summary>
            [CommandOption("--train-rows <N>")]
            [Description("Keep only the first N training images (0 = all). Default: 0.")]
            public int TrainRows { get; init; }

            /// <summary>Test rows kept.</summary>
            [CommandOption("--test-rows <N>")]
            [Description("Keep only the first N test images (0 = all). Default: 0.")]
            public int TestRows { get; init; }

            /// <summary>The network.</summary>
            [CommandOption("-a|--arch <ARCH>")]
            [Description("Network architecture every run trains: " + ArchitectureForms.List + ". With an architecture other than mnist_net the report also holds the signal propagation at initialization (signal.md, signal.csv, signal.png). Default: mnist_net.")]
            public string Architecture { get; init; } = NetworkArchitecture.MnistNet.TextForm;

            /// <summary>Training-loss threshold of the "steps to reach loss L" column.</summary>
            [CommandOption("--loss-threshold <L>")]
            [Description("Training loss L (NLL, nats) of the report's \"steps to reach loss L\" column: the first SGD step at which the mean training loss of the last 50 batches is ≤ L. Default: 0.5.")]
            public double LossThreshold { get; init; } = 0.5;

            /// <summary>Runs trained at once (<see cref="ComparisonOptions.MaxConcurrentRuns"/>).</summary>
            [CommandOption("--concurrent <N>")]
            [Description("Runs trained at once, each on its own thread with cores / N libtorch threads (unless --threads pins them): 0 = one per core, 1 = one after another. On 2 cores two 1-thread runs train faster together than one 2-thread run. Results do not depend on it at equal libtorch threads per run (pin --threads to keep them equal). Default: 0.")]
            public int Concurrent { get; init; }

            /// <summary>Output directory.</summary>
            [CommandOption("-o|--out <DIR>")]
            [Description("Directory for comparison.md, comparison.json, comparison-*.csv and comparison.png. Default: artifacts/compare.")]
            public string Output { get; init; } = "artifacts/compare";

            /// <summary>The initializer texts, split.</summary>
            public IReadOnlyList<string> Initializers =>
                Init.Length == 0 ? ComparisonOptions.ArticleInitializers : Init.SelectMany(SplitTopLevel).ToList();

            /// <summary>The seeds, parsed.</summary>
            public IReadOnlyList<long> SeedList => Seeds.Split(',', StringSplitOptions.TrimEntries)
                .Select(s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToList();

            /// <summary>Checks every value before anything is loaded.</summary>
            public override ValidationResult Validate()
            {
                if (base.Validate() is { Successful: false } sgd)
                {
                    return sgd;
                }
                foreach (string text in Initializers.Append(Bias))
                {
                    if (!WeightInitializer.TryParse(text, out _, out string? error))
                    {
                        return ValidationResult.Error(error!);
                    }
                }
                if (Seeds.Split(',', StringSplitOptions.TrimEntries)
                    .Any(s => !long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) || SeedList.Count == 0)
                {
                    return ValidationResult.Error($"--seeds must be integers separated by commas, e.g. 1,2,3; got '{Seeds}'.");
                }
                if (SeedList.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1) is { } seed)
                {
                    return ValidationResult.Error($"--seeds lists seed {seed.Key} twice.");
                }
                // Compared by canonical text form: xavier_uniform, xavier_uniform(gain=1) and xavier_uniform(gain=1.0) are one scheme.
                if (Initializers.GroupBy(t => WeightInitializer.Parse(t).TextForm).FirstOrDefault(g => g.Count() > 1) is { } twice)
                {
                    return ValidationResult.Error($"--init lists {twice.Key} twice (as {string.Join(" and ", twice.Select(t => $"'{t}'"))}).");
                }
                if (TrainRows < 0 || TestRows < 0)
                {
                    return ValidationResult.Error("--train-rows and --test-rows must be 0 (all) or more.");
                }
                if (!NetworkArchitecture.TryParse(Architecture, out _, out string? archError))
                {
                    return ValidationResult.Error($"--arch: {archError}");
                }
                if (Concurrent < 0)
                {
                    return ValidationResult.Error($"--concurrent must be 0 (one run per core), 1 (one after another) or more; got {Concurrent}.");
                }
                if (!(LossThreshold > 0) || !double.IsFinite(LossThreshold))
                {
                    return ValidationResult.Error($"--loss-threshold must be a positive number (nats); got {LossThreshold.ToString(CultureInfo.InvariantCulture)}.");
                }
                if (OutputPaths.CheckDirectory("--out", Output) is { } output)
                {
                    return ValidationResult.Error(output);
                }
                if (ReportDirectory.ForeignEntries(Output, ComparisonReportFiles.Names) is { Count: > 0 } foreign)
                {
                    return ValidationResult.Error($"--out '{Output}' holds {string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? ", …" : "")} besides the report files; the report set replaces the directory as a whole (never a mix of two runs): give --out a directory of its own.");
                }
                return ValidationResult.Success();
            }

            /// <summary>Splits at commas and semicolons outside parentheses (the text forms' tokenizer); empty parts
            /// are dropped.</summary>
            public static IEnumerable<string> SplitTopLevel(string text) =>
                TextFormSyntax.SplitTopLevel(text, ",;").Select(p => p.Text).Where(p => p.Length > 0);
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var mlContext = new MLContext(seed: 0);
            var data = MnistData.Load(mlContext, settings);
            var train = settings.TrainRows > 0 ? mlContext.Data.TakeRows(data.Train, settings.TrainRows) : data.Train;
            var test = settings.TestRows > 0 ? mlContext.Data.TakeRows(data.Test, settings.TestRows) : data.Test;
            string description = data.Description
                + (settings.TrainRows > 0 ? $", first {settings.TrainRows} training rows" : string.Empty)
                + (settings.TestRows > 0 ? $", first {settings.TestRows} test rows" : string.Empty);
            var options = new ComparisonOptions
            {
                Initializers = settings.Initializers,
                BiasInitializer = settings.Bias,
                PyTorchDefaultKeepsItsBias = !settings.DefaultTakesBias,
                Seeds = settings.SeedList,
                TrainerOptions =
                {
                    NumberOfEpochs = settings.Epochs,
                    BatchSize = settings.BatchSize,
                    LearningRate = settings.LearningRate,
                    Momentum = settings.Momentum,
                    NumberOfThreads = settings.Threads,
                    Architecture = NetworkArchitecture.Parse(settings.Architecture),
                },
                LossThreshold = settings.LossThreshold,
                MaxConcurrentRuns = settings.Concurrent,
            };
            var c = CultureInfo.InvariantCulture;
            AnsiConsole.MarkupLineInterpolated($"Data: [bold]{description}[/]");
            if (options.TrainerOptions.Architecture != NetworkArchitecture.MnistNet)
            {
                AnsiConsole.MarkupLineInterpolated($"Architecture: [bold]{options.TrainerOptions.Architecture.TextForm}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"Initializers: [bold]{string.Join(", ", options.Initializers)}[/]; biases {options.BiasInitializer}{(options.PyTorchDefaultKeepsItsBias ? " (pytorch_default keeps its own)" : " (pytorch_default included)")}");
            AnsiConsole.MarkupLineInterpolated($"Seeds {string.Join(",", options.Seeds)}, {options.TrainerOptions.NumberOfEpochs} epochs, batch {options.TrainerOptions.BatchSize}, lr {options.TrainerOptions.LearningRate.ToString(c)}, momentum {options.TrainerOptions.Momentum.ToString(c)}; Ctrl+C stops after the current batch and keeps the finished runs.");

            var concurrencyLines = options.DescribeConcurrency(options.ConcurrencyFor(options.Initializers.Count * options.Seeds.Count), "--threads");
            AnsiConsole.MarkupLineInterpolated($"{concurrencyLines[0]}");
            foreach (string line in concurrencyLines.Skip(1))
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{line}[/]");
            }

            // The verified convolution path is chosen once per process; say which before the live display starts.
            TorchRuntime.EnsureInitialized();
            AnsiConsole.MarkupLineInterpolated($"[grey]{ConvolutionPathSelector.Current}[/]");
            AnsiConsole.MarkupLineInterpolated($"[grey]{TorchRuntime.OpenMpWaitPolicy}[/]");
            var result = ComparisonProgressDisplay.Run(progress =>
                InitializerComparison.Run(mlContext, train, test, options, progress, cancellationToken));
            var summary = ComparisonSummary.Create(result);
            ComparisonTables.Write(summary);
            SignalComparison? signal = null;
            if (options.TrainerOptions.Architecture != NetworkArchitecture.MnistNet)
            {
                signal = MeasureSignal(mlContext, train, options);
                AnsiConsole.Write(InitStatsTables.SignalComparison(signal));
            }
            var files = ComparisonReportFiles.Write(settings.Output, summary, description, signal);
            AnsiConsole.MarkupLineInterpolated($"Wrote {string.Join(", ", files)}");
            AnsiConsole.MarkupLineInterpolated($"Wall time: {watch.Elapsed.TotalSeconds.ToString("F0", c)} s ({result.Seconds.ToString("F0", c)} s training {result.Runs.Count} runs)");
            if (!result.IsComplete)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]Cancelled: {result.Runs.Count} of {result.PlannedRuns} runs finished; the reports hold those and say INCOMPLETE.[/]");
                return 130;
            }
            if (result.Runs.Count > 0 && result.Runs.All(r => r.Status == RunStatus.Failed))
            {
                AnsiConsole.MarkupLine("[red]Error: every run failed (see the Note column of the runs); nothing was compared.[/]");
                return 1;
            }
            return 0;
        }

        /// <summary>Signal propagation at initialization of every compared initializer (with the runs' bias rule), on
        /// the first batch of the training data, with the first seed.</summary>
        private static SignalComparison MeasureSignal(MLContext mlContext, IDataView train, ComparisonOptions options)
        {
            var first = mlContext.Data.TakeRows(train, options.TrainerOptions.BatchSize);
            using var batch = Training.TensorDataset.FromDataView(first, new Training.InputColumns(options.TrainerOptions.LabelColumnName, options.TrainerOptions.FeatureColumnName),
                ImageShape.Mnist, options.TrainerOptions.NormalizationMean, options.TrainerOptions.NormalizationStd);
            var plans = options.ResolveInitializers().Select(c => (c.Label, new InitializerPlan(c.Weight, c.Bias))).ToList();
            return SignalComparison.Measure(options.TrainerOptions.Architecture, plans, options.Seeds[0], batch.Features, batch.Labels, batch.Shape);
        }
    }
}
