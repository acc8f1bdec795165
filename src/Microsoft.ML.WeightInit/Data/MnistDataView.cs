using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// An <see cref="IDataView"/> over MNIST-style images and labels held in memory as bytes. Columns:
    /// <c>Label</c> (<see cref="uint"/>, the digit 0..9, not a key) and <c>Features</c> (vector of
    /// <see cref="float"/>, rows x columns long, pixel / 255 in [0, 1], row-major).
    /// </summary>
    internal sealed class MnistDataView : IDataView
    {
        public const string LabelColumnName = "Label";
        public const string FeaturesColumnName = "Features";
        public const int ClassCount = 10;

        /// <param name="images">Images; the first <paramref name="maxRows"/> are used.</param>
        /// <param name="labels">Labels; the same count as <paramref name="images"/>, each 0..9.</param>
        /// <param name="imagesName">Images file name, for messages.</param>
        /// <param name="labelsName">Labels file name, for messages.</param>
        /// <param name="maxRows">Keep at most this many rows (the first ones); at least 1.</param>
        /// <exception cref="InvalidDataException">Counts differ, or a label is not a digit 0..9.</exception>
        public MnistDataView(IdxImages images, IdxLabels labels, string imagesName, string labelsName, int maxRows = int.MaxValue)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
            if (images.Count != labels.Count)
            {
                throw new InvalidDataException(
                    $"MNIST split mismatch: '{imagesName}' holds {images.Count:N0} images but '{labelsName}' holds {labels.Count:N0} labels; expected one label per image.");
            }

            byte[] labelBytes = labels.ValueArray;
            for (int i = 0; i < labelBytes.Length; i++)
            {
                if (labelBytes[i] >= ClassCount)
                {
                    throw new InvalidDataException(
                        $"MNIST labels file '{labelsName}': label {labelBytes[i]} at row {i}; expected a digit 0..9.");
                }
            }

            Images = images;
            LabelBytes = labelBytes;
            RowCount = Math.Min(images.Count, maxRows);

            var builder = new DataViewSchema.Builder();
            builder.AddColumn(LabelColumnName, NumberDataViewType.UInt32);
            builder.AddColumn(FeaturesColumnName, new VectorDataViewType(NumberDataViewType.Single, images.PixelsPerImage));
            Schema = builder.ToSchema();
        }

        /// <summary>Rows exposed (the first <see cref="RowCount"/> of the files).</summary>
        public int RowCount { get; }

        internal IdxImages Images { get; }

        internal byte[] LabelBytes { get; }

        public bool CanShuffle => true;

        public DataViewSchema Schema { get; }

        public long? GetRowCount() => RowCount;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            ArgumentNullException.ThrowIfNull(columnsNeeded);
            var active = new bool[Schema.Count];
            foreach (var column in columnsNeeded)
            {
                active[CheckColumn(column, nameof(columnsNeeded))] = true;
            }
            return new MnistRowCursor(this, active, rand is null ? null : Permutation(RowCount, rand));
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];

        /// <summary>Returns the column's index after checking it belongs to <see cref="Schema"/>.</summary>
        internal int CheckColumn(DataViewSchema.Column column, string parameterName)
        {
            if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
            {
                throw new ArgumentOutOfRangeException(parameterName,
                    $"Column '{column.Name}' (index {column.Index}) is not in this MNIST data view; its columns are '{LabelColumnName}' (0) and '{FeaturesColumnName}' (1).");
            }
            return column.Index;
        }

        private static int[] Permutation(int count, Random rand)
        {
            var order = new int[count];
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }
            for (int i = count - 1; i > 0; i--)
            {
                int j = rand.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            return order;
        }
    }
}
