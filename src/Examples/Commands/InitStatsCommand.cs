using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Examples.Models;
using Microsoft.ML.WeightInit.Examples.Output;
using Microsoft.ML.WeightInit.Examples.Output.Signal;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// Initializes the net with a plan (no training) and prints, per parameter, the weights' statistics next to the
    /// scheme's theory, the signal propagation on one training batch, and the seed article's "Mean initialization"
    /// listing. With <c>--model</c>, initializes a built-in TorchSharp model instead (no data) and prints one row per
    /// parameter: path, module type, shape, initializer, fan_in/fan_out used, the plan rule that chose it.
    /// </summary>
    public sealed class InitStatsCommand : Command<InitStatsCommand.Settings>
    {
        /// <summary>Options of <c>init-stats</c>.</summary>
        public sealed class Settings : DataSettings
        {
            /// <summary>Initializer plan text form.</summary>
            [CommandOption("-p|--plan <PLAN>")]
            [Description("Initializer plan, e.g. \"weight=kaiming_normal(mode=fan_out, nonlinearity=relu); bias=zeros; fc2.weight=normal(std=0.01)\", \"lsuv; bias=zeros\" or a bare initializer (weights only). Default: pytorch_default.")]
            public string Plan { get; init; } = PyTorchDefaultInitializer.SchemeName;

            /// <summary>Seed.</summary>
            [CommandOption("-s|--seed <SEED>")]
            [Description("Seed of the initialization (and of the mean listing). Default: 1.")]
            public int Seed { get; init; } = InitCnnTrainer.Defaults.Seed;

            /// <summary>Batch size.</summary>
            [CommandOption("--batch-size <N>")]
            [Description("Training images (the first N, in file order) for signal propagation and LSUV's calibration. Default: 64.")]
            public int BatchSize { get; init; } = InitCnnTrainer.Defaults.BatchSize;

            /// <summary>The network.</summary>
            [CommandOption("-a|--arch <ARCH>")]
            [Description("Network architecture: " + ArchitectureForms.List + ". Default: mnist_net.")]
            public string Architecture { get; init; } = NetworkArchitecture.MnistNet.TextForm;

            /// <summary>Initializers whose signal propagation is compared.</summary>
            [CommandOption("-i|--init <INIT>")]
            [Description("Compare the signal propagation of these weight initializers (or plans) instead of one plan's statistics: per layer, the std of the forward output and of the backward gradient on the batch, the variance ratio per layer against He et al.'s formula; writes signal.md, signal.csv and signal.png (log scale, one line per initializer) into --out. Repeat the option or separate with commas/semicolons, e.g. -i \"pytorch_default, xavier_normal, kaiming_normal, orthogonal(gain=1.4142135623730951), lsuv\".")]
            public string[] Init { get; init; } = Array.Empty<string>();

            /// <summary>Bias initializer with --init.</summary>
            [CommandOption("-b|--bias <INIT>")]
            [Description("With --init: bias initializer of every initializer but pytorch_default (which keeps its own bias reset). Default: zeros.")]
            public string Bias { get; init; } = ZerosInitializer.SchemeName;

            /// <summary>Output directory with --init.</summary>
            [CommandOption("-o|--out <DIR>")]
            [Description("With --init: directory for signal.md, signal.csv and signal.png (replaced as a set). Default: artifacts/init-stats.")]
            public string Output { get; init; } = "artifacts/init-stats";

            /// <summary>The --init texts, split at top-level commas and semicolons.</summary>
            public IReadOnlyList<string> Initializers => Init.SelectMany(CompareCommand.Settings.SplitTopLevel).ToList();

            /// <summary>The plan of one --init text: a plan text form as is; a bare initializer for the weights, with
            /// <see cref="Bias"/> for the biases (pytorch_default keeps its own bias reset, as in <c>compare</c>).</summary>
            public InitializerPlan PlanOf(string text)
            {
                if (text.Contains('=', StringComparison.Ordinal))
                {
                    return InitializerPlan.Parse(text);
                }
                var weight = WeightInitializer.Parse(text);
                return new InitializerPlan(weight, weight is PyTorchDefaultInitializer ? weight : WeightInitializer.Parse(Bias));
            }

            /// <summary>Built-in model to initialize instead of the seed net.</summary>
            [CommandOption("-m|--model <MODEL>")]
            [Description("Initialize a built-in TorchSharp model instead of the seed net (no data needed): transformer-encoder, cnn-bn, lstm-attention. The plan may use module rules, e.g. \"Linear.weight=xavier_uniform; *.bias=zeros\".")]
            public string? Model { get; init; }

            /// <summary>Checks the data directory, the plan text and the batch size.</summary>
            public override ValidationResult Validate()
            {
                if (Model is not null)
                {
                    if (!ExampleModels.Exists(Model))
                    {
                        return ValidationResult.Error($"--model: unknown model '{Model}'. Valid: {string.Join(", ", ExampleModels.Names)}.");
                    }
                    if (DataDirectory is not null || Sample)
                    {
                        return ValidationResult.Error("--model initializes a built-in model without data; drop --data/--sample.");
                    }
                    return InitializerPlan.TryParse(Plan, out _, out string? planError) ? ValidationResult.Success() : ValidationResult.Error(planError!);
                }
                if (base.Validate() is { Successful: false } data)
                {
                    return data;
                }
                if (!NetworkArchitecture.TryParse(Architecture, out _, out string? archError))
                {
                    return ValidationResult.Error($"--arch: {archError}");
                }
                foreach (string text in Initializers)
                {
                    try
                    {
                        PlanOf(text);
                    }
                    catch (FormatException e)
                    {
                        return ValidationResult.Error($"--init: {e.Message}");
                    }
                }
                if (Init.Length > 0 && OutputPaths.CheckDirectory("--out", Output) is { } output)
                {
                    return ValidationResult.Error(output);
                }
                if (!InitializerPlan.TryParse(Plan, out _, out string? error))
                {
                    return ValidationResult.Error(error!);
                }
                return BatchSize < 2 ? ValidationResult.Error("--batch-size must be at least 2.") : ValidationResult.Success();
            }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            var mlContext = new MLContext(seed: 0);
            var plan = InitializerPlan.Parse(settings.Plan);
            if (settings.Model is not null)
            {
                return InitializeModel(settings.Model, plan, settings.Seed);
            }
            var data = MnistData.Load(mlContext, settings);
            AnsiConsole.MarkupLineInterpolated($"Data: [bold]{data.Description}[/]");
            AnsiConsole.MarkupLineInterpolated($"Plan: [bold]{plan.TextForm}[/], seed {settings.Seed}, batch of the first {settings.BatchSize} training images");
            AnsiConsole.MarkupLineInterpolated($"[grey]{TorchRuntime.OpenMpWaitPolicy}[/]");

            var first = mlContext.Data.TakeRows(data.Train, settings.BatchSize);
            using var batch = TensorDataset.FromDataView(first, new InputColumns("Label", "Features"), ImageShape.Mnist,
                InitCnnTrainer.Defaults.NormalizationMean, InitCnnTrainer.Defaults.NormalizationStd);
            var architecture = NetworkArchitecture.Parse(settings.Architecture);
            if (settings.Initializers.Count > 0)
            {
                return CompareSignals(settings, architecture, batch);
            }
            var report = InitializationDiagnostics.Analyze(plan, settings.Seed, batch.Features, batch.Labels, architecture: architecture);

            AnsiConsole.Write(InitStatsTables.Parameters(report.Parameters));
            AnsiConsole.Write(InitStatsTables.Signal(report.Signal));
            if (report.Calibrations.Count > 0)
            {
                AnsiConsole.Write(InitStatsTables.Calibrations(report.Calibrations));
            }
            if (architecture == NetworkArchitecture.MnistNet)
            {
                AnsiConsole.Write(InitStatsTables.MeanListing(MeanInitializationListing.Run(settings.Seed), settings.Seed));
            }
            return 0;
        }

        private static int CompareSignals(Settings settings, NetworkArchitecture architecture, TensorDataset batch)
        {
            AnsiConsole.MarkupLineInterpolated($"Architecture: [bold]{architecture.TextForm}[/]; initializers: [bold]{string.Join(", ", settings.Initializers)}[/]");
            var plans = settings.Initializers.Select(text => (text, settings.PlanOf(text))).ToList();
            var comparison = SignalComparison.Measure(architecture, plans, settings.Seed, batch.Features, batch.Labels, ImageShape.Mnist);
            AnsiConsole.Write(InitStatsTables.SignalComparison(comparison));
            var files = SignalReportFiles.Write(settings.Output, comparison);
            AnsiConsole.MarkupLineInterpolated($"Wrote {string.Join(", ", files)}");
            return comparison.Runs.All(r => r.Report is null) ? 1 : 0;
        }

        private static int InitializeModel(string name, InitializerPlan plan, int seed)
        {
            TorchRuntime.EnsureInitialized();
            using var model = ExampleModels.Build(name);
            using var generator = new TorchSharp.torch.Generator((ulong)seed);
            AnsiConsole.MarkupLineInterpolated($"Model: [bold]{ExampleModels.Describe(name)}[/]");
            AnsiConsole.MarkupLineInterpolated($"Plan: [bold]{plan.TextForm}[/], seed {seed}");
            var records = plan.Apply(model, generator);
            AnsiConsole.Write(ModuleInitTable.Build(records, model));
            return 0;
        }
    }
}
