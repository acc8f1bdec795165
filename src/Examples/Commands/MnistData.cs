using System;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>Training and test data views for a command, and a sentence saying where they came from.</summary>
    public sealed record MnistData(IDataView Train, IDataView Test, string Description, bool IsSample)
    {
        /// <summary>Finds MNIST as <paramref name="settings"/> say and loads both splits with keyed labels.</summary>
        public static MnistData Load(MLContext mlContext, DataSettings settings)
        {
            IDataView train, test;
            string description;
            bool isSample;
            if (settings.Sample)
            {
                train = mlContext.Data.LoadMnistSample(MnistSplit.Train);
                test = mlContext.Data.LoadMnistSample(MnistSplit.Test);
                description = "bundled sample (6,000 train / 1,000 test images, --sample)";
                isSample = true;
            }
            else
            {
                var result = MnistDataSource.Acquire(new MnistAcquireOptions
                {
                    DataDirectory = settings.DataDirectory,
                    VerifyChecksums = !settings.NoVerify,
                    AllowSampleFallback = settings.DataDirectory is null,
                    Log = line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"),
                });
                train = mlContext.Data.LoadMnist(result.Directory, MnistSplit.Train);
                test = mlContext.Data.LoadMnist(result.Directory, MnistSplit.Test);
                description = result.Source;
                isSample = result.IsSample;
                if (isSample)
                {
                    foreach (var attempt in result.Attempts)
                    {
                        AnsiConsole.MarkupLineInterpolated($"[yellow]  {attempt}[/]");
                    }
                }
            }
            // Keys in digit order, so Score slot i is digit i and PredictedLabel maps back to the digit.
            var keys = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            return new MnistData(keys.Transform(train), keys.Transform(test), description, isSample);
        }
    }
}
