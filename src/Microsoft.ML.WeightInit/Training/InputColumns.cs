using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// The label and feature columns of a training or scoring input, checked: the label a key type of K ≥ 2 values, the
    /// features a known-size vector of Single whose size is C · H · W of the images.
    /// </summary>
    /// <param name="Label">Name of the label column.</param>
    /// <param name="Features">Name of the features column.</param>
    internal sealed record InputColumns(string Label, string Features)
    {
        /// <summary>
        /// Checks the feature column of <paramref name="schema"/> and infers the image layout from its dimensions:
        /// <c>[784]</c> → 1 × 28 × 28 (any square size), <c>[28, 28]</c> → 1 × 28 × 28, <c>[C, H, W]</c>. Explicit
        /// <paramref name="channels"/>/<paramref name="height"/>/<paramref name="width"/> (0 = infer) override the
        /// inference and must multiply to the vector size.
        /// </summary>
        /// <returns>(channels, height, width).</returns>
        /// <exception cref="ArgumentOutOfRangeException">Missing column or wrong type (the message names the column,
        /// the type found and the type expected).</exception>
        public static (int Channels, int Height, int Width) CheckFeatures(DataViewSchema schema, string featureColumn,
            int channels = 0, int height = 0, int width = 0, string? where = null)
        {
            var column = Find(schema, featureColumn, "feature", where);
            if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            {
                throw OutOfRange(nameof(featureColumn),
                    $"Feature column '{featureColumn}' is {column.Type}; expected a known-size vector of Single (e.g. Vector<Single, 784> for 28 × 28 gray images).", where);
            }
            if (!vector.IsKnownSize)
            {
                throw OutOfRange(nameof(featureColumn),
                    $"Feature column '{featureColumn}' is a vector of unknown size; expected a known size C·H·W (e.g. 784). Declare it with [VectorType(784)] or a schema definition.", where);
            }
            int size = vector.Size;
            if (channels < 0 || height < 0 || width < 0)
            {
                throw OutOfRange(channels < 0 ? "ImageChannels" : height < 0 ? "ImageHeight" : "ImageWidth", string.Create(CultureInfo.InvariantCulture,
                    $"ImageChannels, ImageHeight and ImageWidth must be 0 (taken from the feature column) or positive; got {channels}, {height}, {width}."), where);
            }
            if (channels > 0 && height == 0 && width == 0)
            {
                // Channels alone: square images of size / channels pixels each.
                int side = size % channels == 0 ? (int)Math.Round(Math.Sqrt(size / channels)) : 0;
                if (side == 0 || (long)channels * side * side != size)
                {
                    throw OutOfRange(nameof(featureColumn), string.Create(CultureInfo.InvariantCulture,
                        $"Feature column '{featureColumn}' has {size} values, which are not {channels} square images; give ImageHeight and ImageWidth too."), where);
                }
                return (channels, side, side);
            }
            if (channels > 0 || height > 0 || width > 0)
            {
                int c = channels > 0 ? channels : 1, h = height > 0 ? height : width, w = width > 0 ? width : height;
                if ((long)c * h * w != size)
                {
                    throw OutOfRange(nameof(featureColumn), string.Create(CultureInfo.InvariantCulture,
                        $"Feature column '{featureColumn}' has {size} values; the image size given ({c} × {h} × {w}) needs {(long)c * h * w}."), where);
                }
                return (c, h, w);
            }
            var dims = vector.Dimensions.ToArray();
            switch (dims.Length)
            {
                case 3:
                    return (dims[0], dims[1], dims[2]);
                case 2:
                    return (1, dims[0], dims[1]);
                default:
                    int side = (int)Math.Round(Math.Sqrt(size));
                    if (side * side != size)
                    {
                        throw OutOfRange(nameof(featureColumn), string.Create(CultureInfo.InvariantCulture,
                            $"Feature column '{featureColumn}' has {size} values, which is not a square gray image; expected 784 (1 × 28 × 28), a vector with dimensions [H, W] or [C, H, W], or an explicit image size in the options."), where);
                    }
                    return (1, side, side);
            }
        }

        /// <summary>Checks that the label column is a key type and returns its number of values K.</summary>
        /// <returns>K, the number of classes.</returns>
        /// <exception cref="ArgumentOutOfRangeException">Missing column, not a key, or fewer than 2 values.</exception>
        public static int CheckLabel(DataViewSchema schema, string labelColumn, string? where = null)
        {
            var column = Find(schema, labelColumn, "label", where);
            if (column.Type is not KeyDataViewType key)
            {
                throw OutOfRange(nameof(labelColumn),
                    $"Label column '{labelColumn}' is {column.Type}; expected a key type. Map it first, e.g. mlContext.Transforms.Conversion.MapValueToKey(\"{labelColumn}\", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).", where);
            }
            if (key.Count < 2 || key.Count > int.MaxValue)
            {
                throw OutOfRange(nameof(labelColumn), string.Create(CultureInfo.InvariantCulture,
                    $"Label column '{labelColumn}' is a key of {key.Count} values; expected at least 2 classes."), where);
            }
            return (int)key.Count;
        }

        private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string? where)
        {
            ArgumentNullException.ThrowIfNull(schema);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"The {role} column name is empty.", nameof(name));
            }
            var column = schema.GetColumnOrNull(name);
            if (column is null)
            {
                throw OutOfRange(nameof(name),
                    $"The input has no {role} column '{name}'. Columns: {Available(schema)}.", where);
            }
            return column.Value;
        }

        /// <summary>The error about a column or image size; <paramref name="where"/> (e.g. <c>validation set</c>) says
        /// which input it is about.</summary>
        private static ArgumentOutOfRangeException OutOfRange(string paramName, string message, string? where) =>
            new(paramName, where is null ? message : $"In the {where}: {message}");

        /// <summary>The visible columns, quoted and comma-separated, for errors about a missing column.</summary>
        internal static string Available(DataViewSchema schema) =>
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));

        /// <summary>The columns of a schema shape (as estimators see it), quoted and comma-separated.</summary>
        internal static string Available(SchemaShape shape) => string.Join(", ", shape.Select(c => $"'{c.Name}'"));
    }
}
