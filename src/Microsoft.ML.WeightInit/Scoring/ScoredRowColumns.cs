using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// The columns of one scored row, shared by the scoring cursor and the mapped row: input columns pass through,
    /// Score and PredictedLabel come from a <see cref="ScoreBuffer"/>.
    /// </summary>
    internal sealed class ScoredRowColumns
    {
        private readonly ScoringSchema _schema;
        private readonly DataViewRow _input;
        private readonly ScoreBuffer? _scores;
        private readonly bool _score;
        private readonly bool _predictedLabel;

        /// <param name="schema">Input and output schemas.</param>
        /// <param name="input">The input row or cursor.</param>
        /// <param name="scores">Probabilities of the current row; null when neither output column is active.</param>
        /// <param name="score">Whether Score is active.</param>
        /// <param name="predictedLabel">Whether PredictedLabel is active.</param>
        public ScoredRowColumns(ScoringSchema schema, DataViewRow input, ScoreBuffer? scores, bool score, bool predictedLabel)
        {
            _schema = schema;
            _input = input;
            _scores = scores;
            _score = score;
            _predictedLabel = predictedLabel;
        }

        public bool IsActive(DataViewSchema.Column column)
        {
            if (column.Index == _schema.ScoreIndex)
            {
                return _score;
            }
            if (column.Index == _schema.PredictedLabelIndex)
            {
                return _predictedLabel;
            }
            return _input.IsColumnActive(_input.Schema[column.Index]);
        }

        public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var output = _schema.Output;
            if (column.Index < 0 || column.Index >= output.Count || output[column.Index].Name != column.Name || !output[column.Index].Type.Equals(column.Type))
            {
                throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not a column of this row's schema.");
            }
            if (!IsActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor: request it when creating the cursor.");
            }
            if (column.Index == _schema.ScoreIndex)
            {
                return Checked<TValue, VBuffer<float>>(column, _scores!.ScoreGetter());
            }
            if (column.Index == _schema.PredictedLabelIndex)
            {
                return Checked<TValue, uint>(column, _scores!.PredictedLabelGetter());
            }
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        private static ValueGetter<TValue> Checked<TValue, TActual>(DataViewSchema.Column column, ValueGetter<TActual> getter)
        {
            if (getter is ValueGetter<TValue> typed)
            {
                return typed;
            }
            throw new InvalidOperationException(
                $"Invalid TValue in GetGetter for column '{column.Name}': got {typeof(TValue).Name}, the column holds {typeof(TActual).Name}.");
        }
    }
}
