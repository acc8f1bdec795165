using System;
using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// The MNIST sample embedded in this assembly (first 6,000 training and first 1,000 test rows of the original
    /// files, gzip IDX; provenance and licence in Data/Sample/README.md of the source repository).
    /// </summary>
    internal static class MnistSample
    {
        public const int TrainRows = 6000;
        public const int TestRows = 1000;

        /// <summary>Human-readable name of the sample, used as a source description.</summary>
        public const string Description = "bundled sample (6,000 train / 1,000 test)";

        private const string ResourcePrefix = "Microsoft.ML.WeightInit.Data.Sample.";

        /// <summary>SHA-256 (lower-case hex) of the decompressed sample files, by canonical name.</summary>
        public static readonly IReadOnlyDictionary<string, string> Sha256 = new Dictionary<string, string>
        {
            [MnistFiles.TrainImages] = "2782ff6f3467f3487a520503c34fe99b761aa97623af029969e59716ac3585c3",
            [MnistFiles.TrainLabels] = "0d830540a6191e75a9f5cd63cd5b4bde38960b893784bbf456d560179296d7cd",
            [MnistFiles.TestImages] = "de7c252b04f05e1f8309634180ccdf286dc6dbac8c579b74e76e02ae0331ca52",
            [MnistFiles.TestLabels] = "832c0d20f0dc42e575488c75a83a970787d4c8d4d05831b2ef03701b4a478a90",
        };

        /// <summary>Name of the embedded resource holding <paramref name="canonical"/> (gzip IDX).</summary>
        public static string ResourceName(string canonical) => ResourcePrefix + canonical + ".gz";

        /// <summary>Opens the embedded gzip file for a canonical MNIST name (caller disposes).</summary>
        /// <exception cref="InvalidOperationException">The resource is missing from the assembly (a packaging error).</exception>
        public static Stream Open(string canonical) =>
            typeof(MnistSample).Assembly.GetManifestResourceStream(ResourceName(canonical))
            ?? throw new InvalidOperationException(
                $"Embedded resource '{ResourceName(canonical)}' is missing from {typeof(MnistSample).Assembly.GetName().Name}; the assembly was built without Data/Sample/*.gz.");
    }
}
