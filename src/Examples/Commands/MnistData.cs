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
            if (settings.DataDirectory is not null)
            {
                return LocateGiven(settings.DataDirectory, !settings.NoVerify);
            }
            var result = MnistDataSource.Acquire(new MnistAcquireOptions
            {
                VerifyChecksums = !settings.NoVerify,
                AllowSampleFallback = true,
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

        /// <summary>
        /// The user's directory and nothing else: with its files missing or wrong, falling back to the cache or a
        /// download would silently train on other data (e.g. MNIST instead of the Fashion-MNIST asked for).
        /// </summary>
        private static (string? Directory, string Description) LocateGiven(string given, bool verify)
        {
            string directory = Path.GetFullPath(given);
            try
            {
                var result = MnistDataSource.Acquire(new MnistAcquireOptions
                {
                    DataDirectory = directory,
                    CacheDirectory = directory, // read only: no mirror, no npm, no sample writes there
                    VerifyChecksums = verify,
                    Mirrors = [],
                    UseNpm = false,
                    AllowSampleFallback = false,
                });
                return (result.Directory, result.Source);
            }
            catch (MnistAcquireException e)
            {
                string reason = e.Attempts[0].FailureReason!.Replace("set VerifyChecksums = false", "pass --no-verify", StringComparison.Ordinal);
                throw new InvalidOperationException($"--data {directory}: {reason.TrimEnd('.')}.", e);
            }
        }
    }
}
