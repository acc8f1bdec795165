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
            var (directory, description) = Locate(settings);
            IDataView train = directory is null ? mlContext.Data.LoadMnistSample(MnistSplit.Train) : mlContext.Data.LoadMnist(directory, MnistSplit.Train);
            IDataView test = directory is null ? mlContext.Data.LoadMnistSample(MnistSplit.Test) : mlContext.Data.LoadMnist(directory, MnistSplit.Test);
            bool isSample = directory is null;
            // Keys in digit order, so Score slot i is digit i and PredictedLabel maps back to the digit.
            var keys = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            return new MnistData(keys.Transform(train), keys.Transform(test), description, isSample);
        }

        /// <summary>
        /// Finds MNIST as <paramref name="settings"/> say: the directory of its IDX files and a sentence saying where it
        /// came from; the directory is null for the bundled sample (asked for, or the fallback when nothing else works).
        /// </summary>
        public static (string? Directory, string Description) Locate(DataSettings settings)
        {
            if (settings.Sample)
            {
                return (null, "bundled sample (6,000 train / 1,000 test images, --sample)");
            }
            var result = MnistDataSource.Acquire(new MnistAcquireOptions
            {
                DataDirectory = settings.DataDirectory,
                VerifyChecksums = !settings.NoVerify,
                AllowSampleFallback = settings.DataDirectory is null,
                Log = line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"),
            });
            if (result.IsSample)
            {
                foreach (var attempt in result.Attempts)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]  {attempt}[/]");
                }
            }
            return (result.IsSample ? null : result.Directory, result.Source);
        }
    }
}
