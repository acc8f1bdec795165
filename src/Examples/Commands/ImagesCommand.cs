using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Examples.Images;
using Microsoft.ML.WeightInit.Examples.Output;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// From PNG files on disk to predictions: writes digits of the bundled sample as PNGs, trains a pipeline of
    /// ML.NET's image transforms and InitCnn on them, saves it with <c>mlContext.Model.Save</c>, loads it with plain
    /// <c>mlContext.Model.Load</c> in a new context and predicts image files with a PredictionEngine.
    /// </summary>
    public sealed class ImagesCommand : Command<ImagesCommand.Settings>
    {
        /// <summary>Options of <c>images</c>.</summary>
        public sealed class Settings : CommandSettings
        {
            /// <summary>Working directory.</summary>
            [CommandOption("-o|--output <DIR>")]
            [Description("Directory for the PNG files (train/, test/) and model.zip. Default: ./mnist-png.")]
            public string Output { get; init; } = "mnist-png";

            /// <summary>Training images.</summary>
            [CommandOption("--train <N>")]
            [Description("Training digits written as PNGs (at most 6,000). Default: 3000.")]
            public int Train { get; init; } = 3000;

            /// <summary>Test images.</summary>
            [CommandOption("--test <N>")]
            [Description("Test digits written as PNGs (at most 1,000). Default: 500.")]
            public int Test { get; init; } = 500;

            /// <summary>Epochs.</summary>
            [CommandOption("-e|--epochs <N>")]
            [Description("Passes over the training images. Default: 2.")]
            public int Epochs { get; init; } = 2;

            /// <summary>Checks the counts.</summary>
            public override ValidationResult Validate() =>
                Train is < 10 or > 6000 ? ValidationResult.Error("--train must be 10 to 6000.")
                : Test is < 1 or > 1000 ? ValidationResult.Error("--test must be 1 to 1000.")
                : Epochs < 1 ? ValidationResult.Error("--epochs must be at least 1.")
                : OutputPaths.CheckDirectory("--output", Output) is { } output ? ValidationResult.Error(output)
                : ValidationResult.Success();
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            var mlContext = new MLContext(seed: 0);
            string root = Path.GetFullPath(settings.Output);
            string trainFolder = Path.Combine(root, "train"), testFolder = Path.Combine(root, "test");
            var trainFiles = DigitPngWriter.Write(mlContext, mlContext.Data.LoadMnistSample(MnistSplit.Train), trainFolder, settings.Train);
            var testFiles = DigitPngWriter.Write(mlContext, mlContext.Data.LoadMnistSample(MnistSplit.Test), testFolder, settings.Test);
            AnsiConsole.MarkupLineInterpolated($"Wrote [bold]{trainFiles.Count}[/] training and [bold]{testFiles.Count}[/] test PNGs (28 × 28 gray) under {root}");

            // PNG → image → 28 × 28 → gray → pixels in [0, 1] as a vector of 1 × 28 × 28 → InitCnn.
            var pixels = mlContext.Transforms.LoadImages("Image", trainFolder, nameof(DigitFile.ImagePath))
                .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
                .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
                .Append(mlContext.Transforms.ExtractPixels("Features", "Image",
                    colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f));
            var pipeline = pixels
                .Append(mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options
                {
                    NumberOfEpochs = settings.Epochs,
                    CancellationToken = cancellationToken,
                }))
                .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
            var train = mlContext.Data.LoadFromEnumerable(trainFiles);
            AnsiConsole.MarkupLineInterpolated($"Features: [bold]{pixels.Fit(train).GetOutputSchema(train.Schema)["Features"].Type}[/]");
            var watch = Stopwatch.StartNew();
            var model = pipeline.Fit(train);
            AnsiConsole.MarkupLineInterpolated($"Trained {settings.Epochs} epoch(s) in {watch.Elapsed.TotalSeconds:F1} s");

            // Test files are named relative to the training folder that LoadImages keeps in the model.
            var tests = testFiles.Select(f => new DigitFile { ImagePath = Path.Combine("..", "test", f.ImagePath), Label = f.Label }).ToList();
            var testData = mlContext.Data.LoadFromEnumerable(tests);
            var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            var cnn = model.GetInitCnn();
            var scored = cnn.Transform(keyed.Transform(pixels.Fit(train).Transform(testData)));
            AnsiConsole.Write(MetricsTable.Create(mlContext.MulticlassClassification.Evaluate(scored)));

            string zip = Path.Combine(root, "model.zip");
            watch.Restart();
            mlContext.Model.SaveAtomically(model, train.Schema, zip); // a kill mid-save keeps the previous model.zip
            double saveSeconds = watch.Elapsed.TotalSeconds;
            var loadContext = new MLContext();
            watch.Restart();
            var loaded = loadContext.Model.Load(zip, out _);
            AnsiConsole.MarkupLineInterpolated($"Saved {zip} ({new FileInfo(zip).Length / 1e6:F2} MB) in {saveSeconds:F2} s; loaded it with plain mlContext.Model.Load in {watch.Elapsed.TotalSeconds:F2} s (the zip holds the network as ONNX: ONNX Runtime scores it)");
            string onnx = Path.Combine(root, "model.onnx");
            cnn.Model.ExportOnnx(onnx);
            AnsiConsole.MarkupLineInterpolated($"Exported the network alone to {onnx} ({new FileInfo(onnx).Length / 1e6:F2} MB, ONNX opset 13: input Features [[N, 784]] raw pixels, outputs Score [[N, 10]] and PredictedIndex [[N]])");

            var engine = loadContext.Model.CreatePredictionEngine<DigitFile, DigitFilePrediction>(loaded);
            var original = mlContext.Model.CreatePredictionEngine<DigitFile, DigitFilePrediction>(model);
            var table = new Table().Border(TableBorder.Rounded).Title("PredictionEngine over the loaded model (ONNX Runtime)")
                .AddColumn("File").AddColumn("Digit").AddColumn("Predicted").AddColumn(new TableColumn("Probability").RightAligned())
                .AddColumn("Same scores as before saving");
            foreach (var file in tests.Take(8))
            {
                var prediction = engine.Predict(file);
                bool same = prediction.Score.SequenceEqual(original.Predict(file).Score);
                table.AddRow(Path.GetFileName(file.ImagePath), file.Label.ToString(CultureInfo.InvariantCulture),
                    prediction.PredictedLabel.ToString(CultureInfo.InvariantCulture),
                    prediction.Score.Max().ToString("F4", CultureInfo.InvariantCulture), same ? "yes, bit for bit" : "[red]no[/]");
            }
            AnsiConsole.Write(table);
            return 0;
        }
    }
}
