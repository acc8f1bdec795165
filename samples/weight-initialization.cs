// The seed article "Weight Initialization" as a runnable .NET 10 file-based app, step by step, with this library:
//   dotnet run samples/weight-initialization.cs                      (bundled MNIST sample, 5 epochs: a few minutes)
//   dotnet run samples/weight-initialization.cs -- --epochs 1        (a quick look)
//   dotnet run samples/weight-initialization.cs -- --data <dir>      (full MNIST: a directory of the four IDX files)
// Every tensor below is drawn from a generator seeded like PyTorch's torch.manual_seed(1), so the values equal
// PyTorch 1.13's for the same seed; the article's own numbers came from an unseeded session.
#:project ../src/Microsoft.ML.WeightInit/Microsoft.ML.WeightInit.csproj
#:project ../src/Microsoft.ML.WeightInit.Experiments/Microsoft.ML.WeightInit.Experiments.csproj
#:property PublishAot=false

using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

var (epochs, dataDirectory) = Arguments.Parse(args);
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
TorchRuntime.EnsureInitialized();

// In [3]-[7]: conv1 = nn.Conv2d(1, 20, 5, 1) is initialized as soon as it is built: Kaiming uniform (a = √5) for the
// weight, U(±1/√fan_in) for the bias. Its weight is 20 filters of 1 × 5 × 5, its bias one value per output channel.
Section("conv1 = nn.Conv2d(1, 20, 5, 1): PyTorch's default reset (seed 1)");
using var generator = new torch.Generator(1);
using var weight = torch.empty(20, 1, 5, 5);
using var bias = torch.empty(20);
var reset = new PyTorchDefaultInitializer();
reset.Initialize(weight, new WeightInitContext(generator, "conv1", ParameterRole.Weight, weight.shape));
reset.Initialize(bias, new WeightInitContext(generator, "conv1", ParameterRole.Bias, weight.shape));
Console.WriteLine($"conv1.weight.shape = [{string.Join(", ", weight.shape)}]; first filter:");
PrintFilter(weight);
Console.WriteLine($"conv1.bias.shape = [{string.Join(", ", bias.shape)}]; first values: {Values(bias, 8)}");

// In [8]: constant_(conv1.weight, 0) — every weight becomes zero.
Section("torch.nn.init.constant_(conv1.weight, 0)");
WeightInitializer.Parse("constant(val=0)").Initialize(weight, WeightInitContext.ForTensor(generator, weight, "conv1.weight"));
PrintFilter(weight);

// In [9]: xavier_uniform_(conv1.weight): U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).
Section("torch.nn.init.xavier_uniform_(conv1.weight)");
WeightInitializer.Parse("xavier_uniform").Initialize(weight, WeightInitContext.ForTensor(generator, weight, "conv1.weight"));
PrintFilter(weight);

// In [10]: the "Mean initialization" listing, replayed on one seeded generator.
Section("Mean initialization (conv1.weight, seed 1)");
foreach (var line in MeanInitializationListing.Run(seed: 1))
{
    Console.WriteLine($"{line.Label}: {line.Mean.ToString("R", CultureInfo.InvariantCulture)}");
}

// The experiment: train the article's net under each initializer (biases zeroed, PyTorch's default keeps its own
// bias reset), then the article's two tables: average test loss and accuracy per epoch.
var mlContext = new MLContext(seed: 0);
var rawTrain = dataDirectory is null ? mlContext.Data.LoadMnistSample(MnistSplit.Train) : mlContext.Data.LoadMnist(dataDirectory, MnistSplit.Train);
var rawTest = dataDirectory is null ? mlContext.Data.LoadMnistSample(MnistSplit.Test) : mlContext.Data.LoadMnist(dataDirectory, MnistSplit.Test);
// The trainer's label is an ML.NET key: digits 0..9 map to keys in value order.
var keys = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(rawTrain);
var (train, test) = (keys.Transform(rawTrain), keys.Transform(rawTest));
Section($"Training under each initializer ({(dataDirectory is null ? "bundled sample: 6,000 train / 1,000 test images" : dataDirectory)}, {epochs} epochs, seed 1)");
var result = InitializerComparison.Run(mlContext, train, test, new ComparisonOptions { Seeds = new long[] { 1 }, TrainerOptions = { NumberOfEpochs = epochs } },
    new Progress<ComparisonProgress>(_ => { }));
var summary = ComparisonSummary.Create(result);
PrintTable(summary.Loss, "Average loss");
PrintTable(summary.Accuracy, "Accuracy");
Console.WriteLine();
foreach (var initializer in result.Initializers)
{
    Console.WriteLine($"{initializer}: {summary.StatusOf(initializer)}");
}
return 0;

static void Section(string title) => Console.WriteLine($"{Environment.NewLine}== {title} ==");

static void PrintFilter(torch.Tensor weight)
{
    using var first = weight[0, 0].to_type(torch.ScalarType.Float32);
    var values = first.data<float>().ToArray();
    for (int row = 0; row < 5; row++)
    {
        Console.WriteLine("  " + string.Join("  ", values.Skip(row * 5).Take(5).Select(v => v.ToString(" 0.0000;-0.0000"))));
    }
}

static string Values(torch.Tensor tensor, int count) =>
    string.Join(", ", tensor.data<float>().ToArray().Take(count).Select(v => v.ToString("0.0000")));

static void PrintTable(SummaryTable table, string title)
{
    Console.WriteLine($"{Environment.NewLine}{title}");
    Console.WriteLine("Epoch  " + string.Join("  ", table.Columns.Select(c => c.PadLeft(16))));
    for (int epoch = 1; epoch <= table.Epochs; epoch++)
    {
        var cells = table.Columns.Select((_, column) => table[epoch, column].Mean.ToString(".0000").PadLeft(16));
        Console.WriteLine($"{epoch,5}  " + string.Join("  ", cells));
    }
}

/// <summary>The walkthrough's two options: <c>--epochs N</c> (default 5) and <c>--data DIR</c> (default: the bundled sample).</summary>
static class Arguments
{
    public static (int Epochs, string? Data) Parse(string[] args)
    {
        int epochs = 5;
        string? data = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n >= 1:
                    epochs = n;
                    i++;
                    break;
                case "--data" when i + 1 < args.Length:
                    data = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Options: --epochs N (≥ 1), --data DIR.");
                    Environment.Exit(2);
                    break;
            }
        }
        return (epochs, data);
    }
}
