using System;
using System.IO;
using System.ComponentModel;
using System.Globalization;
using System.Threading;
using Microsoft.ML.WeightInit.Examples.Output;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
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

            /// <summary>Model zip to write (plain ML.NET loads it with Microsoft.ML.OnnxTransformer + OnnxRuntime).</summary>
            [CommandOption("--save-model <PATH>")]
            [Description("Save the trained model as an ML.NET model zip (scored by ONNX Runtime; plain mlContext.Model.Load loads it without this package; mlContext.Model.LoadInitCnn restores the InitCnn transformer).")]
            public string? SaveModel { get; init; }

            /// <summary>ONNX file to write.</summary>
            [CommandOption("--export-onnx <PATH>")]
            [Description("Export the trained network as an ONNX model (input Features [[N, C·H·W]] raw pixels; outputs Score [[N, K]], PredictedIndex [[N]]).")]
            public string? ExportOnnx { get; init; }

            /// <summary>The network.</summary>
            [CommandOption("-a|--arch <ARCH>")]
            [Description("Network architecture: " + ArchitectureForms.List + ". Saved with the model. Default: mnist_net.")]
            public string Architecture { get; init; } = NetworkArchitecture.MnistNet.TextForm;

            /// <summary>Checks the data directory, the initializer texts and the numbers, before any data is loaded.</summary>
            public override ValidationResult Validate()
            {
                if (base.Validate() is { Successful: false } data)
                {
                    return data;
                }
                if (!NetworkArchitecture.TryParse(Architecture, out _, out string? archError))
                {
                    return ValidationResult.Error($"--arch: {archError}");
                }
                if (Plan is not null && (Init is not null || Bias is not null))
                {
                    return ValidationResult.Error("--plan gives the whole initialization: use it without --init and --bias (e.g. --plan \"weight=zeros; bias=zeros\").");
                }
                foreach (var (option, path) in new[] { ("--save-model", SaveModel), ("--export-onnx", ExportOnnx) })
                {
                    if (path is not null && OutputPaths.CheckFile(option, path) is { } pathError)
                    {
                        return ValidationResult.Error(pathError);
                    }
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
            AnsiConsole.MarkupLineInterpolated($"Architecture: [bold]{NetworkArchitecture.Parse(settings.Architecture).TextForm}[/]");
            AnsiConsole.MarkupLineInterpolated($"Initialization: [bold]{plan.TextForm}[/]; seed {settings.Seed}, {settings.Epochs} epochs, batch {settings.BatchSize}, lr {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}, momentum {settings.Momentum.ToString(CultureInfo.InvariantCulture)}");
            AnsiConsole.MarkupLineInterpolated($"[grey]{TorchRuntime.OpenMpWaitPolicy}[/]");
            // The path the trainer will take (options leave it unset): the selection itself, not its log line.
            AnsiConsole.MarkupLineInterpolated($"[grey]{ConvolutionPathSelector.Current}[/]");

            var options = new InitCnnTrainer.Options
            {
                Architecture = NetworkArchitecture.Parse(settings.Architecture),
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
            if (settings.SaveModel is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.SaveModel))!);
                mlContext.Model.SaveAtomically(model, data.Train.Schema, settings.SaveModel); // never a partial zip
                AnsiConsole.MarkupLineInterpolated($"Saved the model to [bold]{settings.SaveModel}[/] ({new FileInfo(settings.SaveModel).Length / 1e6:F2} MB; plain mlContext.Model.Load needs only Microsoft.ML, Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime).");
            }
            if (settings.ExportOnnx is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.ExportOnnx))!);
                model.Model.ExportOnnx(settings.ExportOnnx);
                AnsiConsole.MarkupLineInterpolated($"Exported the network to [bold]{settings.ExportOnnx}[/] ({new FileInfo(settings.ExportOnnx).Length / 1e6:F2} MB, ONNX opset 13).");
            }
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
