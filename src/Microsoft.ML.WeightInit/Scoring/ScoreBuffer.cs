using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// Class probabilities of the current row and the getters of the Score and PredictedLabel columns over them.
    /// Rows are scored by a source (a batch filled ahead, or the current row alone) that sets <see cref="Current"/>.
    /// </summary>
    internal sealed class ScoreBuffer
    {
        private readonly int _classes;
        private readonly Func<int> _ensureCurrent;

        /// <param name="classes">K.</param>
        /// <param name="probabilities">Storage the source fills.</param>
        /// <param name="ensureCurrent">Makes sure the current row is scored; returns its offset in
        /// <paramref name="probabilities"/> in rows.</param>
        public ScoreBuffer(int classes, float[] probabilities, Func<int> ensureCurrent)
        {
            _classes = classes;
            Probabilities = probabilities;
            _ensureCurrent = ensureCurrent;
        }

        public float[] Probabilities { get; }

        public ReadOnlySpan<float> Current
        {
            get
            {
                int row = _ensureCurrent();
                return Probabilities.AsSpan(row * _classes, _classes);
            }
        }

        public ValueGetter<VBuffer<float>> ScoreGetter() => (ref VBuffer<float> value) =>
        {
            var editor = VBufferEditor.Create(ref value, _classes);
            Current.CopyTo(editor.Values);
            value = editor.Commit();
        };

        /// <summary>PredictedLabel: 1-based key of the most probable class (first on ties, as argmax).</summary>
        public ValueGetter<uint> PredictedLabelGetter() => (ref uint value) =>
        {
            var p = Current;
            int best = 0;
            for (int i = 1; i < p.Length; i++)
            {
                if (p[i] > p[best])
                {
                    best = i;
                }
            }
            value = (uint)best + 1;
        };
    }
}
