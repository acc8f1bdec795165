using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>Reads a key column of any raw type (byte, ushort, uint, ulong) as a ulong (0 = missing).</summary>
    internal static class KeyReader
    {
        public static Func<ulong> Create(DataViewRow row, DataViewSchema.Column column)
        {
            Type raw = column.Type.RawType;
            if (raw == typeof(uint))
            {
                var get = row.GetGetter<uint>(column);
                uint v = 0;
                return () => { get(ref v); return v; };
            }
            if (raw == typeof(ulong))
            {
                var get = row.GetGetter<ulong>(column);
                ulong v = 0;
                return () => { get(ref v); return v; };
            }
            if (raw == typeof(ushort))
            {
                var get = row.GetGetter<ushort>(column);
                ushort v = 0;
                return () => { get(ref v); return v; };
            }
            if (raw == typeof(byte))
            {
                var get = row.GetGetter<byte>(column);
                byte v = 0;
                return () => { get(ref v); return v; };
            }
            throw new InvalidOperationException($"Key column '{column.Name}' has raw type {raw.Name}; expected byte, ushort, uint or ulong.");
        }
    }
}
