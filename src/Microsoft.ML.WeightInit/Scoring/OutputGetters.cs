using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>Getter lookup shared by the scoring cursor and the mapped row: input columns pass through.</summary>
    internal static class OutputGetters
    {
        public static ValueGetter<TValue> Get<TValue>(ScoringSchema schema, DataViewSchema.Column column, bool active,
            ScoreBuffer scores, Func<DataViewSchema.Column, ValueGetter<TValue>> inputGetter)
        {
            if (column.Index < 0 || column.Index >= schema.Output.Count || !schema.Output[column.Index].Type.Equals(column.Type) || schema.Output[column.Index].Name != column.Name)
            {
                throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not a column of this row's schema.");
            }
            if (!active)
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor: request it when creating the cursor.");
            }
            if (column.Index == schema.ScoreIndex)
            {
                return Checked<TValue, VBuffer<float>>(column, scores.ScoreGetter());
            }
            if (column.Index == schema.PredictedLabelIndex)
            {
                return Checked<TValue, uint>(column, scores.PredictedLabelGetter());
            }
            return inputGetter(column);
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
