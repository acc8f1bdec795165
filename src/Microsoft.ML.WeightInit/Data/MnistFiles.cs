using System;
using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>The standard MNIST file names and how they are found in a directory.</summary>
    internal static class MnistFiles
    {
        public const string TrainImages = "train-images-idx3-ubyte";
        public const string TrainLabels = "train-labels-idx1-ubyte";
        public const string TestImages = "t10k-images-idx3-ubyte";
        public const string TestLabels = "t10k-labels-idx1-ubyte";

        /// <summary>The four canonical names (raw, without extension).</summary>
        public static readonly IReadOnlyList<string> All = [TrainImages, TrainLabels, TestImages, TestLabels];

        public static (string Images, string Labels) Names(MnistSplit split) => split switch
        {
            MnistSplit.Train => (TrainImages, TrainLabels),
            MnistSplit.Test => (TestImages, TestLabels),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Expected MnistSplit.Train or MnistSplit.Test."),
        };

        /// <summary>
        /// Accepted spellings of a canonical name, in order of preference: raw, <c>.gz</c>, and the same two with
        /// <c>-idx</c> written <c>.idx</c> (e.g. <c>train-images.idx3-ubyte</c>, as some archives name them).
        /// </summary>
        public static string[] Candidates(string canonical)
        {
            string dotted = canonical.Replace("-idx", ".idx", StringComparison.Ordinal);
            return [canonical, canonical + ".gz", dotted, dotted + ".gz"];
        }

        /// <summary>The first candidate spelling present in <paramref name="directory"/>, or null.</summary>
        public static string? Find(string directory, string canonical)
        {
            foreach (string name in Candidates(canonical))
            {
                string path = Path.Combine(directory, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
            return null;
        }

        /// <summary>Like <see cref="Find"/>, but throws a <see cref="FileNotFoundException"/> listing every name tried.</summary>
        public static string FindOrThrow(string directory, string canonical) =>
            Find(directory, canonical) ?? throw new FileNotFoundException(
                $"MNIST file '{canonical}' not found in directory '{directory}': looked for {string.Join(", ", Candidates(canonical))}.",
                Path.Combine(directory, canonical));
    }
}
