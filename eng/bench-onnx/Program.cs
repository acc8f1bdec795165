// Persistence and scoring figures of one build of Microsoft.ML.WeightInit (eng/bench-onnx.sh runs it against the
// previous release's code and this one, one after the other, and prints them side by side). Trains the seed's net
// for 1 epoch on the bundled sample (seed 1), then measures: zip size; Model.Save and Model.Load times (median of 7);
// PredictionEngine latency over 3,000 predictions (median, p99); Transform + Evaluate of 10,000 images (the 1,000
// sample test images ten times; median of 3). Prints one line of key=value.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Trainers;

var mlContext = new MLContext(seed: 0);
var train = mlContext.Data.LoadMnistSample(MnistSplit.Train);
var test = mlContext.Data.CreateEnumerable<Digit>(mlContext.Data.LoadMnistSample(MnistSplit.Test), false).ToList();
var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
    .Fit(train);
string zip = Path.Combine(Path.GetTempPath(), $"bench-onnx-{Environment.ProcessId}.zip");
var save = new List<double>();
var load = new List<double>();
ITransformer loaded = model;
for (int i = 0; i < 7; i++)
{
    var w = Stopwatch.StartNew();
    mlContext.Model.Save(model, train.Schema, zip);
    save.Add(w.Elapsed.TotalMilliseconds);
    w.Restart();
    var context = new MLContext();
    loaded = context.Model.Load(zip, out _);
    context.Model.CreatePredictionEngine<Digit, Prediction>(loaded).Predict(test[0]); // first use included
    load.Add(w.Elapsed.TotalMilliseconds);
}
long size = new FileInfo(zip).Length;
File.Delete(zip);

var engine = mlContext.Model.CreatePredictionEngine<Digit, Prediction>(loaded);
for (int i = 0; i < 200; i++)
{
    engine.Predict(test[i % test.Count]);
}
var latencies = new List<double>();
for (int i = 0; i < 3000; i++)
{
    long t0 = Stopwatch.GetTimestamp();
    engine.Predict(test[i % test.Count]);
    latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
}
latencies.Sort();

var tenThousand = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 10).SelectMany(_ => test).ToList());
var keyedHead = new TransformerChain<ITransformer>(((IEnumerable<ITransformer>)loaded).Take(2).ToArray());
var evaluate = new List<double>();
double accuracy = 0;
for (int i = 0; i < 3; i++)
{
    var w = Stopwatch.StartNew();
    accuracy = mlContext.MulticlassClassification.Evaluate(keyedHead.Transform(tenThousand)).MicroAccuracy;
    evaluate.Add(w.Elapsed.TotalSeconds);
}

static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"zip_mb={size / 1e6:F2} save_ms={Median(save):F0} load_ms={Median(load):F0} engine_median_ms={latencies[latencies.Count / 2]:F3} engine_p99_ms={latencies[(int)(latencies.Count * 0.99)]:F3} transform_evaluate_10k_s={Median(evaluate):F2} micro_accuracy={accuracy:F4}"));

/// <summary>A test image.</summary>
public sealed class Digit
{
    /// <summary>The digit.</summary>
    public uint Label { get; set; }

    /// <summary>28 × 28 pixels in [0, 1].</summary>
    [VectorType(784)]
    public float[] Features { get; set; } = Array.Empty<float>();
}

/// <summary>What the pipeline predicts.</summary>
public sealed class Prediction
{
    /// <summary>The predicted digit.</summary>
    public uint PredictedLabel { get; set; }

    /// <summary>Probabilities of the 10 digits.</summary>
    public float[] Score { get; set; } = Array.Empty<float>();
}
