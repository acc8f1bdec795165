using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Cursor of <see cref="MnistDataView"/>: in file order, or in the order of a permutation drawn from a
    /// <see cref="Random"/>. Getters write into the caller's buffers (a reused <see cref="VBuffer{T}"/> is not
    /// reallocated), so moving through rows allocates nothing.
    /// </summary>
    internal sealed class MnistRowCursor : DataViewRowCursor
    {
        /// <summary>pixel / 255f for every byte value, so the getter is a table lookup.</summary>
        private static readonly float[] s_scale = BuildScale();

        private readonly MnistDataView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;
        private bool _disposed;

        public MnistRowCursor(MnistDataView parent, bool[] active, int[]? order)
        {
            _parent = parent;
            _active = active;
            _order = order;
        }

        public override DataViewSchema Schema => _parent.Schema;

        /// <summary>Zero-based index of the current row in cursor order; -1 before the first row and after the last.</summary>
        public override long Position => _position;

        /// <summary>Always 0: a single cursor covers all rows.</summary>
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_disposed)
            {
                return false;
            }
            if (_position + 1 >= _parent.RowCount)
            {
                Dispose();
                return false;
            }
            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        /// <summary>The row id is the row's index in the files, whatever the cursor order.</summary>
        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)CurrentRow(), 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[_parent.CheckColumn(column, nameof(column))];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int index = _parent.CheckColumn(column, nameof(column));
            if (!_active[index])
            {
                throw new InvalidOperationException(
                    $"Column '{column.Name}' is not active in this cursor; include it in columnsNeeded when calling GetRowCursor.");
            }

            Delegate getter = index == 0 ? (ValueGetter<uint>)GetLabel : (ValueGetter<VBuffer<float>>)GetFeatures;
            if (getter is ValueGetter<TValue> typed)
            {
                return typed;
            }
            string expected = index == 0 ? "UInt32 (uint)" : "VBuffer<Single> (VBuffer<float>)";
            throw new InvalidOperationException(
                $"Column '{column.Name}' has type {Schema[index].Type}; GetGetter must be called with TValue = {expected}, not {typeof(TValue).Name}.");
        }

        private void GetLabel(ref uint value) => value = _parent.LabelBytes[CurrentRow()];

        private void GetFeatures(ref VBuffer<float> value)
        {
            int row = CurrentRow();
            int length = _parent.Images.PixelsPerImage;
            ReadOnlySpan<byte> pixels = _parent.Images.PixelArray.AsSpan(row * length, length);
            var editor = VBufferEditor.Create(ref value, length);
            Span<float> values = editor.Values;
            for (int i = 0; i < pixels.Length; i++)
            {
                values[i] = s_scale[pixels[i]];
            }
            value = editor.Commit();
        }

        private int CurrentRow()
        {
            if (_row < 0)
            {
                throw new InvalidOperationException(
                    "The MNIST cursor is not on a row: call MoveNext() and read values only while it returns true.");
            }
            return _row;
        }

        protected override void Dispose(bool disposing)
        {
            _disposed = true;
            _position = -1;
            _row = -1;
            base.Dispose(disposing);
        }

        private static float[] BuildScale()
        {
            var scale = new float[256];
            for (int i = 0; i < scale.Length; i++)
            {
                scale[i] = i / 255f;
            }
            return scale;
        }
    }
}
