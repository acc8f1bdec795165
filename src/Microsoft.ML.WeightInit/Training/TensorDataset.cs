using System;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// A labelled image set held as two libtorch tensors: normalized features (N × C × H × W, float32) and 0-based
    /// class indices (N, int64). Built from an <see cref="IDataView"/> with one copy per row straight into native
    /// memory (no per-row allocation).
    /// </summary>
    internal sealed class TensorDataset : IDisposable
    {
        /// <summary>Rows copied per native view while loading.</summary>
        private const int ChunkRows = 4096;

        private TensorDataset(Tensor features, Tensor labels, ImageShape shape)
        {
            Features = features;
            Labels = labels;
            Shape = shape;
        }

        /// <summary>N × C × H × W normalized images, float32.</summary>
        public Tensor Features { get; }

        /// <summary>N class indices in [0, K), int64.</summary>
        public Tensor Labels { get; }

        /// <summary>Image shape and number of classes.</summary>
        public ImageShape Shape { get; }

        /// <summary>Number of images N.</summary>
        public long Count => Labels.shape[0];

        /// <summary>
        /// Reads every row of <paramref name="data"/>: the label (a key of <paramref name="shape"/>.Classes values,
        /// 1-based raw keys) and the features (C·H·W floats), normalized as (x − mean) / std.
        /// </summary>
        /// <param name="data">The rows.</param>
        /// <param name="columns">Names and checked types of the label and feature columns.</param>
        /// <param name="shape">Image shape and number of classes.</param>
        /// <param name="mean">Normalization mean (subtracted from every pixel value).</param>
        /// <param name="std">Normalization standard deviation (divides every centred value; &gt; 0).</param>
        /// <returns>The dataset (dispose it to free native memory).</returns>
        /// <exception cref="InvalidOperationException">No rows, a missing label (key 0), or a NaN/∞ feature; the message
        /// names the column and row.</exception>
        public static TensorDataset FromDataView(IDataView data, InputColumns columns, ImageShape shape, double mean, double std)
        {
            ArgumentNullException.ThrowIfNull(data);
            ArgumentNullException.ThrowIfNull(columns);
            ArgumentNullException.ThrowIfNull(shape);
            long count = CountRows(data);
            if (count == 0)
            {
                throw new InvalidOperationException($"The data view has no rows: at least one row with '{columns.Label}' and '{columns.Features}' is needed.");
            }
            int width = shape.FeatureCount;
            var features = empty(new[] { count, width }, ScalarType.Float32);
            var labels = new long[count];
            Tensor? chunk = null;
            try
            {
                var labelColumn = data.Schema[columns.Label];
                var featureColumn = data.Schema[columns.Features];
                using var cursor = data.GetRowCursor(new[] { labelColumn, featureColumn });
                var getLabel = KeyReader.Create(cursor, labelColumn);
                var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
                var buffer = default(VBuffer<float>);
                var dense = new float[width];
                Span<float> destination = default;
                long row = 0, chunkStart = 0;
                while (cursor.MoveNext())
                {
                    if (row == count)
                    {
                        throw new InvalidOperationException("The data view returned more rows than it first reported.");
                    }
                    if (chunk is null || row - chunkStart == ChunkRows)
                    {
                        // Rows are copied straight into the tensor's native memory, a chunk of rows at a time (a span
                        // over the whole tensor could exceed 2 GB).
                        chunk?.Dispose();
                        chunkStart = row;
                        chunk = features.narrow(0, row, Math.Min(ChunkRows, count - row));
                        destination = MemoryMarshal.Cast<byte, float>(chunk.bytes);
                    }
                    ulong key = getLabel();
                    if (key == 0 || key > (ulong)shape.Classes)
                    {
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"Row {row}: label column '{columns.Label}' holds a missing or out-of-range key ({key}); expected a key in 1..{shape.Classes} (a class the label's key type knows)."));
                    }
                    labels[row] = (long)key - 1;
                    getFeatures(ref buffer);
                    ReadOnlySpan<float> values = Densify(buffer, dense, width, columns.Features, row);
                    CheckFinite(values, columns.Features, row);
                    values.CopyTo(destination.Slice((int)(row - chunkStart) * width, width));
                    row++;
                }
                if (row != count)
                {
                    throw new InvalidOperationException($"The data view returned {row} rows after reporting {count}.");
                }
                using (no_grad())
                {
                    features.sub_(mean).div_(std);
                }
                var images = features.view(count, shape.Channels, shape.Height, shape.Width);
                features.Dispose();
                return new TensorDataset(images, tensor(labels), shape);
            }
            catch
            {
                features.Dispose();
                throw;
            }
            finally
            {
                chunk?.Dispose();
            }
        }

        /// <summary>Frees the native tensors.</summary>
        public void Dispose()
        {
            Features.Dispose();
            Labels.Dispose();
        }

        private static long CountRows(IDataView data)
        {
            long? known = data.GetRowCount();
            if (known.HasValue)
            {
                return known.Value;
            }
            long count = 0;
            using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
            while (cursor.MoveNext())
            {
                count++;
            }
            return count;
        }

        private static ReadOnlySpan<float> Densify(in VBuffer<float> buffer, float[] dense, int width, string column, long row)
        {
            if (buffer.Length != width)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Row {row}: feature column '{column}' has {buffer.Length} values; expected {width}."));
            }
            if (buffer.IsDense)
            {
                return buffer.GetValues();
            }
            Array.Clear(dense);
            var indices = buffer.GetIndices();
            var values = buffer.GetValues();
            for (int i = 0; i < indices.Length; i++)
            {
                dense[indices[i]] = values[i];
            }
            return dense;
        }

        private static void CheckFinite(ReadOnlySpan<float> values, string column, long row)
        {
            // x − x is 0 for every finite x and NaN for NaN and ±∞: whole vectors are checked at once, and the
            // scalar scan only runs to name the slot.
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            bool finite = true;
            for (int i = 0; i < vectors.Length && finite; i++)
            {
                finite = Vector.EqualsAll(vectors[i] - vectors[i], Vector<float>.Zero);
            }
            for (int i = finite ? vectors.Length * Vector<float>.Count : 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Row {row}: feature column '{column}' holds {values[i]} at slot {i}; features must be finite numbers."));
                }
            }
        }
    }
}
