using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>Reads a KeyValues annotation of any primitive item type as invariant-culture strings.</summary>
    internal static class KeyValueTexts
    {
        public static string[]? Read(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
        {
            if (column.Type is not VectorDataViewType vector)
            {
                return null;
            }
            var item = vector.ItemType.RawType;
            if (item == typeof(ReadOnlyMemory<char>))
            {
                return Get<ReadOnlyMemory<char>>(annotations, column, v => v.ToString());
            }
            if (item == typeof(uint))
            {
                return Get<uint>(annotations, column, v => v.ToString(CultureInfo.InvariantCulture));
            }
            if (item == typeof(int))
            {
                return Get<int>(annotations, column, v => v.ToString(CultureInfo.InvariantCulture));
            }
            if (item == typeof(long))
            {
                return Get<long>(annotations, column, v => v.ToString(CultureInfo.InvariantCulture));
            }
            if (item == typeof(ulong))
            {
                return Get<ulong>(annotations, column, v => v.ToString(CultureInfo.InvariantCulture));
            }
            if (item == typeof(float))
            {
                return Get<float>(annotations, column, v => v.ToString("R", CultureInfo.InvariantCulture));
            }
            if (item == typeof(double))
            {
                return Get<double>(annotations, column, v => v.ToString("R", CultureInfo.InvariantCulture));
            }
            if (item == typeof(bool))
            {
                return Get<bool>(annotations, column, v => v ? "true" : "false");
            }
            return null;
        }

        private static string[] Get<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column column, Func<T, string> format)
        {
            var buffer = default(VBuffer<T>);
            annotations.GetValue(column.Name, ref buffer);
            return buffer.DenseValues().Select(format).ToArray();
        }
    }
}
