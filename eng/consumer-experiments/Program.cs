// The consumer check's experiments app: what a user writes against the Microsoft.ML.WeightInit.Experiments package,
// nothing else. A tiny initializer comparison (two initializers, two seeds, one epoch on the first 1,000 rows of the
// bundled sample) and its summary: exits 0 when every run finished and the tables have a row per epoch.
using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Experiments;

var mlContext = new MLContext(seed: 0);
var rawTrain = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Train), 1000);
var rawTest = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Test), 300);
var keys = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(rawTrain);
var options = new ComparisonOptions
{
    Initializers = new[] { "xavier_uniform", "kaiming_normal(mode=fan_out)" },
    Seeds = new long[] { 1, 2 },
    TrainerOptions = { NumberOfEpochs = 1 },
};
var result = InitializerComparison.Run(mlContext, keys.Transform(rawTrain), keys.Transform(rawTest), options);
var summary = ComparisonSummary.Create(result);
foreach (var initializer in result.Initializers)
{
    var finalLoss = result.RunsOf(initializer).Select(r => r.History[^1].ValidationLoss);
    Console.WriteLine($"{initializer}: {summary.StatusOf(initializer)}; final test loss {string.Join(", ", finalLoss.Select(l => l.ToString("F4")))}");
}
bool ok = result.IsComplete && result.Runs.Count == 4 && result.Runs.All(r => r.History.Count == 1 && r.Evaluation is not null);
Console.WriteLine(ok ? "comparison finished: 4 runs" : "comparison incomplete");
return ok ? 0 : 1;
