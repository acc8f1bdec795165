using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>Copies a feature column's VBuffer (dense or sparse) into a row of a flat float buffer.</summary>
    internal static class FeatureRows
    {
        public static void Copy(in VBuffer<float> buffer, Span<float> destination, string column)
        {
            if (buffer.Length != destination.Length)
            {
                throw new InvalidOperationException(
                    $"Feature column '{column}' has a row of {buffer.Length} values; the model expects {destination.Length}.");
            }
            if (buffer.IsDense)
            {
                buffer.GetValues().CopyTo(destination);
                return;
            }
            destination.Clear();
            var indices = buffer.GetIndices();
            var values = buffer.GetValues();
            for (int i = 0; i < indices.Length; i++)
            {
                destination[indices[i]] = values[i];
            }
        }
    }
}
