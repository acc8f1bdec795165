using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Scoring;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Scores rows of a loaded InitCnn chain: decodes the model blob once (the MapValue lookup hands every row the
    /// same string), keeps the network, and scores each row alone — as <see cref="CnnScorer"/> does for the trained
    /// transformer, so scores match it bit for bit. Thread-safe.
    /// </summary>
    internal sealed class BlobScorer
    {
        private readonly object _gate = new();
        private Entry? _entry;

        /// <summary>Scores one row into <paramref name="probabilities"/> (K values); returns the 0-based best class.</summary>
        public int Score(ReadOnlyMemory<char> blob, float[] features, Span<float> probabilities)
        {
            var entry = Get(blob);
            var shape = entry.Scorer.Shape;
            if (features is null || features.Length != shape.FeatureCount)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The InitCnn model expects {shape.FeatureCount} feature values per row ({shape.Channels} × {shape.Height} × {shape.Width}); a row has {features?.Length ?? 0}."));
            }
            entry.Scorer.Score(features, 1, probabilities);
            int best = 0;
            for (int i = 1; i < probabilities.Length; i++)
            {
                if (probabilities[i] > probabilities[best])
                {
                    best = i;
                }
            }
            return best;
        }

        private Entry Get(ReadOnlyMemory<char> blob)
        {
            var entry = Volatile.Read(ref _entry);
            if (entry is not null && entry.Matches(blob))
            {
                return entry;
            }
            lock (_gate)
            {
                entry = _entry;
                if (entry is not null && entry.Matches(blob))
                {
                    return entry;
                }
                if (blob.IsEmpty)
                {
                    throw new InvalidDataException("The InitCnn model blob is missing from this row (the MapValue lookup found no model).");
                }
                var decoded = ModelBlob.Decode(blob.Span);
                var m = decoded.Metadata;
                var network = NetworkState.Create(new ImageShape(m.Channels, m.Height, m.Width, m.Classes), decoded.Tensors,
                    ConvolutionPathSelector.Current.Path);
                entry = new Entry(blob, new CnnScorer(network, m.NormalizationMean, m.NormalizationStd));
                Volatile.Write(ref _entry, entry);
                return entry;
            }
        }

        private sealed class Entry
        {
            private readonly ReadOnlyMemory<char> _blob;

            public Entry(ReadOnlyMemory<char> blob, CnnScorer scorer)
            {
                _blob = blob;
                Scorer = scorer;
            }

            public CnnScorer Scorer { get; }

            /// <summary>The same text: the same memory (every row of a loaded model), else equal content.</summary>
            public bool Matches(ReadOnlyMemory<char> blob)
            {
                var own = _blob.Span;
                var other = blob.Span;
                if (other.Length == own.Length && other.Overlaps(own, out int offset) && offset == 0)
                {
                    return true;
                }
                return blob.Span.SequenceEqual(_blob.Span);
            }
        }
    }
}
