using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// Checks the feature values of every row as the scoring chain reads them: a NaN or ∞ pixel would make every score
    /// NaN and PredictedLabel a clean-looking class, so it is an error naming the column, the row and the value. Also
    /// refuses to read once the model was disposed.
    /// </summary>
    internal sealed class FiniteFeatures
    {
        private readonly string _column;
        private readonly Action _throwIfDisposed;

        public FiniteFeatures(string column, Action throwIfDisposed)
        {
            _column = column;
            _throwIfDisposed = throwIfDisposed;
        }

        /// <summary><paramref name="input"/>, its feature column checked as it is read.</summary>
        public IDataView Wrap(IDataView input) => new View(input, this);

        /// <summary><paramref name="mapper"/>, the rows handed to it checked (PredictionEngine).</summary>
        public IRowToRowMapper Wrap(IRowToRowMapper mapper) => new Mapper(mapper, this);

        /// <exception cref="InvalidDataException">A non-finite value, naming column, row and index.</exception>
        private void Check(in VBuffer<float> value, long row)
        {
            var values = value.GetValues();
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    int index = value.IsDense ? i : value.GetIndices()[i];
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Row {row} of feature column '{_column}' holds {values[i]} at index {index}; InitCnn scores only finite feature values (a non-finite pixel makes every score NaN)."));
                }
            }
        }

        private Delegate Getter<T>(DataViewRow row, DataViewSchema.Column column)
        {
            var inner = row.GetGetter<T>(column);
            if (column.Name != _column || inner is not ValueGetter<VBuffer<float>> features)
            {
                return inner;
            }
            ValueGetter<VBuffer<float>> checkedGetter = (ref VBuffer<float> value) =>
            {
                _throwIfDisposed();
                features(ref value);
                Check(value, row.Position);
            };
            return checkedGetter;
        }

        private sealed class View : IDataView
        {
            private readonly IDataView _input;
            private readonly FiniteFeatures _check;

            public View(IDataView input, FiniteFeatures check)
            {
                _input = input;
                _check = check;
            }

            public bool CanShuffle => _input.CanShuffle;

            public DataViewSchema Schema => _input.Schema;

            public long? GetRowCount() => _input.GetRowCount();

            public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
            {
                _check._throwIfDisposed();
                return new Cursor(_input.GetRowCursor(columnsNeeded, rand), _check);
            }

            public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            {
                _check._throwIfDisposed();
                return _input.GetRowCursorSet(columnsNeeded, n, rand).Select(c => (DataViewRowCursor)new Cursor(c, _check)).ToArray();
            }
        }

        private sealed class Cursor : DataViewRowCursor
        {
            private readonly DataViewRowCursor _inner;
            private readonly FiniteFeatures _check;

            public Cursor(DataViewRowCursor inner, FiniteFeatures check)
            {
                _inner = inner;
                _check = check;
            }

            public override long Position => _inner.Position;

            public override long Batch => _inner.Batch;

            public override DataViewSchema Schema => _inner.Schema;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ValueGetter<TValue>)_check.Getter<TValue>(_inner, column);

            public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

            public override bool MoveNext() => _inner.MoveNext();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }
                base.Dispose(disposing);
            }
        }

        private sealed class Row : DataViewRow
        {
            private readonly DataViewRow _inner;
            private readonly FiniteFeatures _check;

            public Row(DataViewRow inner, FiniteFeatures check)
            {
                _inner = inner;
                _check = check;
            }

            public override long Position => _inner.Position;

            public override long Batch => _inner.Batch;

            public override DataViewSchema Schema => _inner.Schema;

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => (ValueGetter<TValue>)_check.Getter<TValue>(_inner, column);

            public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);
        }

        private sealed class Mapper : IRowToRowMapper
        {
            private readonly IRowToRowMapper _inner;
            private readonly FiniteFeatures _check;

            public Mapper(IRowToRowMapper inner, FiniteFeatures check)
            {
                _inner = inner;
                _check = check;
            }

            public DataViewSchema InputSchema => _inner.InputSchema;

            public DataViewSchema OutputSchema => _inner.OutputSchema;

            public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
                _inner.GetDependencies(dependingColumns);

            public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
            {
                _check._throwIfDisposed();
                return _inner.GetRow(new Row(input, _check), activeColumns);
            }
        }
    }
}
