using System;
using System.ComponentModel;
using System.Globalization;
using System.Threading;
using Microsoft.ML.WeightInit.Examples.Output;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>Trains the net with one initializer: per-epoch table as in the seed article, then ML.NET's metrics.</summary>
    public sealed class TrainCommand : Command<TrainCommand.Settings>
    {
        /// <summary>Options of <c>train</c>.</summary>
        public sealed class Settings : SgdSettings
        {
            /// <summary>Weight initializer text form.</summary>
            [CommandOption("-i|--init <INIT>")]
            [Description("Weight initializer, as a text form, e.g. xavier_uniform or \"kaiming_normal(mode=fan_out, nonlinearity=relu)\". Default: pytorch_default.")]
            public string? Init { get; init; }

            /// <summary>Bias initializer text form.</summary>
            [CommandOption("-b|--bias <INIT>")]
            [Description("Bias initializer text form. Default: pytorch_default with the default weights, zeros otherwise (the seed article's protocol).")]
            public string? Bias { get; init; }

            /// <summary>Whole initialization plan text form.</summary>
            [CommandOption("-p|--plan <PLAN>")]
            [Description("A whole initialization plan instead of --init/--bias, e.g. \"weight=kaiming_normal(mode=fan_out, nonlinearity=relu); bias=zeros; conv1.weight=orthogonal; zero_last_layer=true\" or \"weight=lsuv; bias=zeros\".")]
            public string? Plan { get; init; }

            /// <summary>Seed.</summary>
            [CommandOption("-s|--seed <SEED>")]
            [Description("Seed of initialization and shuffling. Default: 1.")]
            public int Seed { get; init; } = InitCnnTrainer.Defaults.Seed;

            /// <summary>Checks the data directory, the initializer texts and the numbers, before any data is loaded.</summary>
            public override ValidationResult Validate()
            {
                if (base.Validate() is { Successful: false } data)
                {
                    return data;
                }
                if (Plan is not null && (Init is not null || Bias is not null))
                {
                    return ValidationResult.Error("--plan gives the whole initialization: use it without --init and --bias (e.g. --plan \"weight=zeros; bias=zeros\").");
                }
                string? error = null;
                if ((Init is not null && !WeightInitializer.TryParse(Init, out _, out error)) ||
                    (Bias is not null && !WeightInitializer.TryParse(Bias, out _, out error)) ||
                    (Plan is not null && !InitializerPlan.TryParse(Plan, out _, out error)))
                {
                    return ValidationResult.Error(error!);
                }
                return ValidationResult.Success();
            }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            var mlContext = new MLContext(seed: 0);
            var plan = settings.Plan is not null ? InitializerPlan.Parse(settings.Plan) : PlanOf(settings.Init ?? PyTorchDefaultInitializer.SchemeName, settings.Bias);
            var data = MnistData.Load(mlContext, settings);
            AnsiConsole.MarkupLineInterpolated($"Data: [bold]{data.Description}[/]");
            AnsiConsole.MarkupLineInterpolated($"Initialization: [bold]{plan.TextForm}[/]; seed {settings.Seed}, {settings.Epochs} epochs, batch {settings.BatchSize}, lr {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}, momentum {settings.Momentum.ToString(CultureInfo.InvariantCulture)}");
            AnsiConsole.MarkupLineInterpolated($"[grey]{TorchRuntime.OpenMpWaitPolicy}[/]");
            mlContext.Log += (_, e) =>
            {
                if (e.Kind == Runtime.ChannelMessageKind.Info && e.Message.Contains("Convolution path", StringComparison.Ordinal))
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey]{e.RawMessage}[/]");
                }
            };

            var options = new InitCnnTrainer.Options
            {
                NumberOfEpochs = settings.Epochs,
                BatchSize = settings.BatchSize,
                LearningRate = settings.LearningRate,
                Momentum = settings.Momentum,
                Seed = settings.Seed,
                NumberOfThreads = settings.Threads,
                ValidationSet = data.Test,
                CancellationToken = cancellationToken,
            }.UsePlan(plan);
            InitCnnTransformer model;
            try
            {
                model = TrainingProgressBar.Run(settings.Epochs, progress =>
                {
                    options.Progress = progress;
                    return mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(data.Train);
                });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                AnsiConsole.MarkupLine("[yellow]Cancelled (Ctrl+C): training stopped after the current batch; no model.[/]");
                return 130;
            }

            AnsiConsole.Write(EpochTable.Create(model.Model.History));
            var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(data.Test));
            AnsiConsole.Write(MetricsTable.Create(metrics));
            AnsiConsole.Write(ConfusionTable.Create(metrics.ConfusionMatrix));
            return 0;
        }

        /// <summary>--init/--bias as a plan: biases default to PyTorch's reset with the default weights, else zeros
        /// (the seed article's protocol when comparing schemes).</summary>
        private static InitializerPlan PlanOf(string init, string? bias)
        {
            var weights = WeightInitializer.Parse(init);
            var biases = bias is not null ? WeightInitializer.Parse(bias)
                : weights is PyTorchDefaultInitializer ? weights : new ZerosInitializer();
            return new InitializerPlan(weights, biases);
        }
    }
}
