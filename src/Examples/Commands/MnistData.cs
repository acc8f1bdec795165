using System;
using System.IO;
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
            else if (settings.DataDirectory is not null)
            {
                // The user's directory and nothing else: with its files missing or wrong, falling back to the cache
                // or a download would silently train on other data (e.g. MNIST instead of Fashion-MNIST).
                string directory = Path.GetFullPath(settings.DataDirectory);
                MnistAcquireResult result;
                try
                {
                    result = MnistDataSource.Acquire(new MnistAcquireOptions
                    {
                        DataDirectory = directory,
                        CacheDirectory = directory, // read only: no mirror, no npm, no sample writes there
                        VerifyChecksums = !settings.NoVerify,
                        Mirrors = [],
                        UseNpm = false,
                        AllowSampleFallback = false,
                    });
                }
                catch (MnistAcquireException e)
                {
                    string reason = e.Attempts[0].FailureReason!.Replace("set VerifyChecksums = false", "pass --no-verify", StringComparison.Ordinal);
                    throw new InvalidOperationException($"--data {directory}: {reason}.", e);
                }
                train = mlContext.Data.LoadMnist(directory, MnistSplit.Train);
                test = mlContext.Data.LoadMnist(directory, MnistSplit.Test);
                description = result.Source;
                isSample = false;
            }
            else
            {
                var result = MnistDataSource.Acquire(new MnistAcquireOptions
                {
                    DataDirectory = settings.DataDirectory,
                    VerifyChecksums = !settings.NoVerify,
                    AllowSampleFallback = true,
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
