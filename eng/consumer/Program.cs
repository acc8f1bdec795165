// The consumer check's app: what a user writes against the Microsoft.ML.WeightInit package, nothing else.
//   consumer train   MODEL.zip   fits MapValueToKey → InitCnn → MapKeyToValue on the bundled sample (1 epoch), saves
//                                the zip with plain ML.NET and writes the first 20 test predictions next to it
//   consumer predict MODEL.zip   in a new process: loads the zip with plain ML.NET and with LoadInitCnn, predicts the
//                                same 20 images with PredictionEngine and checks the scores are bit-identical
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;

if (args.Length != 2 || (args[0] != "train" && args[0] != "predict"))
{
    Console.Error.WriteLine("usage: consumer train|predict MODEL.zip");
    return 2;
}
string zip = args[1];
string expectedPath = zip + ".expected.txt";
var test = new MLContext().Data.LoadMnistSample(MnistSplit.Test);

if (args[0] == "train")
{
    var mlContext = new MLContext(seed: 0);
    var train = mlContext.Data.LoadMnistSample(MnistSplit.Train);
    var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
        .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 1))
        .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
        .Fit(train);
    mlContext.Model.Save(model, train.Schema, zip);
    var lines = Predict(mlContext, model).Select(Format);
    File.WriteAllLines(expectedPath, lines);
    Console.WriteLine($"trained and saved {zip} ({new FileInfo(zip).Length} bytes)");
    return 0;
}

var expected = File.ReadAllLines(expectedPath);
var plainContext = new MLContext();
var plain = plainContext.Model.Load(zip, out _);
var restoredContext = new MLContext();
var restored = restoredContext.Model.LoadInitCnn(zip, out _);
var cnn = ((System.Collections.Generic.IEnumerable<ITransformer>)restored).OfType<InitCnnTransformer>().Single();
bool same = Predict(plainContext, plain).Select(Format).SequenceEqual(expected)
    && Predict(restoredContext, restored).Select(Format).SequenceEqual(expected);
int correct = Predict(plainContext, plain).Zip(new MLContext().Data.CreateEnumerable<Digit>(test, false)).Count(p => p.First.PredictedLabel == p.Second.Label);
Console.WriteLine($"loaded {zip}: history {cnn.Model.History.Count} epoch(s), weights {cnn.Model.WeightInitializer}; {correct}/20 correct; scores identical: {same}");
return same && cnn.Model.History.Count == 1 ? 0 : 1;

static Prediction[] Predict(MLContext mlContext, ITransformer model)
{
    var engine = mlContext.Model.CreatePredictionEngine<Digit, Prediction>(model);
    return mlContext.Data.CreateEnumerable<Digit>(mlContext.Data.LoadMnistSample(MnistSplit.Test), false).Take(20)
        .Select(d => engine.Predict(d)).ToArray();
}

static string Format(Prediction p) =>
    p.PredictedLabel.ToString(CultureInfo.InvariantCulture) + " " + string.Join(" ", p.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture)));

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
