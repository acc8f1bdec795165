// The consumer check's app: what a user writes against the Microsoft.ML.WeightInit package, nothing else.
//   consumer train   MODEL.zip   fits MapValueToKey → InitCnn → MapKeyToValue on the bundled sample (1 epoch), saves
//                                the zip with plain ML.NET and writes the first 20 test predictions next to it
//                                and, for the scoring-only app (eng/consumer-scorer), MODEL.zip.rows.txt / .expected-all.txt /
//                                .metrics.txt; it also trains a 26-class model on synthetic 16 × 16 letter images and saves
//                                letters.zip beside MODEL.zip with the same three files
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
    WriteForScorer(mlContext, model, test, zip);
    Console.WriteLine($"trained and saved {zip} ({new FileInfo(zip).Length} bytes)");

    // 26 classes (letters as text labels), 16 × 16 synthetic images: a bar whose row encodes the letter.
    var letterRows = Enumerable.Range(0, 520).Select(i => new Letter { Label = ((char)('a' + i % 26)).ToString(), Features = LetterPixels(i, i % 26) }).ToList();
    var letters = mlContext.Data.LoadFromEnumerable(letterRows);
    var letterModel = mlContext.Transforms.Conversion.MapValueToKey("Label")
        .Append(mlContext.MulticlassClassification.Trainers.InitCnn(numberOfEpochs: 2, batchSize: 26))
        .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
        .Fit(letters);
    string letterZip = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(zip))!, "letters.zip");
    mlContext.Model.Save(letterModel, letters.Schema, letterZip);
    var letterTest = mlContext.Data.LoadFromEnumerable(Enumerable.Range(1000, 130).Select(i => new Letter { Label = ((char)('a' + i % 26)).ToString(), Features = LetterPixels(i, i % 26) }).ToList());
    WriteForScorer(mlContext, letterModel, letterTest, letterZip);
    Console.WriteLine($"trained and saved {letterZip} ({new FileInfo(letterZip).Length} bytes, 26 classes)");
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

// For the scoring-only app: the rows (label, then features), the scores and predicted labels of every row, and the
// metrics, all as round-trip text.
static void WriteForScorer(MLContext mlContext, ITransformer model, IDataView data, string zip)
{
    string R(float v) => v.ToString("R", CultureInfo.InvariantCulture);
    var scored = model.Transform(data);
    var labels = data.Schema["Label"].Type is TextDataViewType
        ? data.GetColumn<string>("Label").ToArray() : data.GetColumn<uint>("Label").Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
    var features = data.GetColumn<float[]>("Features").ToArray();
    var predicted = scored.Schema["PredictedLabel"].Type is TextDataViewType
        ? scored.GetColumn<string>("PredictedLabel").ToArray() : scored.GetColumn<uint>("PredictedLabel").Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
    var scores = scored.GetColumn<float[]>("Score").ToArray();
    File.WriteAllLines(zip + ".rows.txt", labels.Zip(features, (l, f) => l + "\t" + string.Join(" ", f.Select(R))));
    File.WriteAllLines(zip + ".expected-all.txt", predicted.Zip(scores, (p, s) => p + "\t" + string.Join(" ", s.Select(R))));
    var metrics = mlContext.MulticlassClassification.Evaluate(new TransformerChain<ITransformer>(((System.Collections.Generic.IEnumerable<ITransformer>)model).Take(2).ToArray()).Transform(data));
    File.WriteAllText(zip + ".metrics.txt", string.Join(" ", new[] { metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, metrics.LogLossReduction }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
}

static float[] LetterPixels(int seed, int letter)
{
    var pixels = new float[256];
    for (int j = 0; j < pixels.Length; j++)
    {
        pixels[j] = (j / 16 == letter % 13 + 2) && (j % 16 < 8) == (letter < 13) ? 1f : ((seed * 31 + j * 17) % 97) / 970f;
    }
    return pixels;
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

/// <summary>A synthetic letter image.</summary>
public sealed class Letter
{
    /// <summary>The letter, a to z.</summary>
    public string Label { get; set; } = "";

    /// <summary>16 × 16 pixels.</summary>
    [VectorType(256)]
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
