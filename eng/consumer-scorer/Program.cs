// The scoring-only app of the consumer check: what an app that only scores writes. Its project references
// Microsoft.ML, Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime, nothing else: not Microsoft.ML.WeightInit,
// not TorchSharp.
//   scorer MODEL.zip   loads the zip with plain ML.NET, scores the rows in MODEL.zip.rows.txt and checks, against what
//                      the training process wrote: every Score bit for bit, every PredictedLabel (the original label
//                      values), and Evaluate's MicroAccuracy, MacroAccuracy, LogLoss and LogLossReduction. Exit 0 = all equal.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: scorer MODEL.zip");
    return 2;
}
string zip = args[0];
var mlContext = new MLContext();
var model = mlContext.Model.Load(zip, out var inputSchema);
bool textLabels = inputSchema["Label"].Type is TextDataViewType;
int size = ((VectorDataViewType)inputSchema["Features"].Type).Size;

var rows = File.ReadAllLines(zip + ".rows.txt").Select(line => line.Split('\t')).ToList();
var expected = File.ReadAllLines(zip + ".expected-all.txt").Select(line => line.Split('\t')).ToList();
float[] Floats(string text) => text.Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

IDataView data;
var features = rows.Select(r => Floats(r[1])).ToList();
if (textLabels)
{
    var definition = SchemaDefinition.Create(typeof(TextRow));
    definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
    data = mlContext.Data.LoadFromEnumerable(rows.Select((r, i) => new TextRow { Label = r[0], Features = features[i] }).ToList(), definition);
}
else
{
    var definition = SchemaDefinition.Create(typeof(DigitRow));
    definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
    data = mlContext.Data.LoadFromEnumerable(rows.Select((r, i) => new DigitRow { Label = uint.Parse(r[0], CultureInfo.InvariantCulture), Features = features[i] }).ToList(), definition);
}

var scored = model.Transform(data);
var predicted = textLabels ? scored.GetColumn<string>("PredictedLabel").ToArray()
    : scored.GetColumn<uint>("PredictedLabel").Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
var scores = scored.GetColumn<float[]>("Score").ToArray();
int scoreMismatches = 0, labelMismatches = 0;
for (int i = 0; i < rows.Count; i++)
{
    var want = Floats(expected[i][1]);
    if (!want.Select(BitConverter.SingleToInt32Bits).SequenceEqual(scores[i].Select(BitConverter.SingleToInt32Bits)))
    {
        scoreMismatches++;
    }
    if (predicted[i] != expected[i][0])
    {
        labelMismatches++;
    }
}

// Evaluate on the chain up to the classifier (PredictedLabel still a key), as the training process did.
var head = new TransformerChain<ITransformer>(((IEnumerable<ITransformer>)model).Take(2).ToArray());
var m = mlContext.MulticlassClassification.Evaluate(head.Transform(data));
string metrics = string.Join(" ", new[] { m.MicroAccuracy, m.MacroAccuracy, m.LogLoss, m.LogLossReduction }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
bool sameMetrics = metrics == File.ReadAllText(zip + ".metrics.txt").Trim();
int classes = ((VectorDataViewType)scored.Schema["Score"].Type).Size;

Console.WriteLine($"{Path.GetFileName(zip)}: {classes} classes, {rows.Count} rows; scores bit-identical: {scoreMismatches == 0} ({scoreMismatches} rows differ); " +
    $"PredictedLabel equal: {labelMismatches == 0} ({labelMismatches} differ; e.g. '{predicted[0]}'); metrics equal: {sameMetrics} (MicroAccuracy, MacroAccuracy, LogLoss, LogLossReduction = {metrics})");
return scoreMismatches == 0 && labelMismatches == 0 && sameMetrics ? 0 : 1;

/// <summary>A row with a digit label.</summary>
public sealed class DigitRow
{
    /// <summary>The digit.</summary>
    public uint Label { get; set; }

    /// <summary>The pixels (the size comes from the model's input schema).</summary>
    public float[] Features { get; set; } = Array.Empty<float>();
}

/// <summary>A row with a text label.</summary>
public sealed class TextRow
{
    /// <summary>The label text.</summary>
    public string Label { get; set; } = "";

    /// <summary>The pixels (the size comes from the model's input schema).</summary>
    public float[] Features { get; set; } = Array.Empty<float>();
}
