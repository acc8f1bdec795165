using System;
using System.IO;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Loads MNIST (or any data in the same IDX format, such as Fashion-MNIST) as an <see cref="IDataView"/>:
    /// extension methods on <see cref="DataOperationsCatalog"/> (<c>mlContext.Data</c>).
    /// </summary>
    /// <remarks>
    /// <para>Output columns:</para>
    /// <list type="table">
    /// <listheader><term>Column</term><description>Type and content</description></listheader>
    /// <item><term><c>Label</c></term><description><see cref="uint"/> (<c>UInt32</c>), the digit 0..9. Not a key:
    /// call <c>mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)</c>
    /// before a multiclass trainer, so key 1..10 means digit 0..9.</description></item>
    /// <item><term><c>Features</c></term><description>Vector of <see cref="float"/> of known size rows x columns
    /// (784 for 28 x 28 MNIST), pixel / 255 in [0, 1], row-major (slot <c>r * columns + c</c>).</description></item>
    /// </list>
    /// <para>The data view is backed by the bytes in memory (about 47 MB for the full training set), supports
    /// shuffling (<c>mlContext.Data.ShuffleRows</c>, or a cursor with a <see cref="Random"/>), and reports its row
    /// count. To obtain the files, see <see cref="MnistDataSource"/>.</para>
    /// </remarks>
    public static class MnistCatalog
    {
        /// <summary>
        /// Loads one split of MNIST from a directory holding the standard files, raw or gzip-compressed:
        /// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>,
        /// <c>t10k-labels-idx1-ubyte</c>, each also accepted with <c>.gz</c> and with <c>-idx</c> spelled <c>.idx</c>
        /// (<c>train-images.idx3-ubyte</c>); the raw name is preferred when several exist.
        /// </summary>
        /// <param name="catalog">The data catalog, <c>mlContext.Data</c>.</param>
        /// <param name="directory">Directory holding the files, e.g. <see cref="MnistAcquireResult.Directory"/>.</param>
        /// <param name="split">Training or test files.</param>
        /// <param name="maxRows">Keep only the first <paramref name="maxRows"/> rows (at least 1); default all.</param>
        /// <returns>A data view with columns <c>Label</c> (UInt32, 0..9) and <c>Features</c> (Single vector, pixel / 255).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRows"/> is less than 1, or <paramref name="split"/> is not defined.</exception>
        /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
        /// <exception cref="FileNotFoundException">A file is missing; the message lists every name looked for in the directory.</exception>
        /// <exception cref="InvalidDataException">A file is not valid IDX (see <see cref="IdxReader"/>), image and label
        /// counts differ (both files named), or a label is not a digit 0..9.</exception>
        public static IDataView LoadMnist(this DataOperationsCatalog catalog, string directory, MnistSplit split, int maxRows = int.MaxValue)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentException.ThrowIfNullOrEmpty(directory);
            ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
            return LoadDirectory(directory, split, maxRows);
        }

        /// <summary>
        /// Loads one split of the MNIST sample embedded in this library: the first 6,000 training or the first
        /// 1,000 test rows of the original MNIST files (MNIST by Yann LeCun and Corinna Cortes, CC BY-SA 3.0).
        /// Needs no file or network access.
        /// </summary>
        /// <param name="catalog">The data catalog, <c>mlContext.Data</c>.</param>
        /// <param name="split">Training (6,000 rows) or test (1,000 rows).</param>
        /// <returns>A data view with columns <c>Label</c> (UInt32, 0..9) and <c>Features</c> (Single vector of 784, pixel / 255).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not defined.</exception>
        public static IDataView LoadMnistSample(this DataOperationsCatalog catalog, MnistSplit split)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            return LoadSample(split);
        }

        internal static MnistDataView LoadDirectory(string directory, MnistSplit split, int maxRows = int.MaxValue)
        {
            if (!Directory.Exists(directory))
            {
                throw new DirectoryNotFoundException($"MNIST directory not found: '{directory}'.");
            }
            var (imagesName, labelsName) = MnistFiles.Names(split);
            string imagesPath = MnistFiles.FindOrThrow(directory, imagesName);
            string labelsPath = MnistFiles.FindOrThrow(directory, labelsName);
            return new MnistDataView(IdxReader.ReadImages(imagesPath), IdxReader.ReadLabels(labelsPath), imagesPath, labelsPath, maxRows);
        }

        internal static MnistDataView LoadSample(MnistSplit split)
        {
            var (imagesName, labelsName) = MnistFiles.Names(split);
            IdxImages images;
            IdxLabels labels;
            using (var stream = MnistSample.Open(imagesName))
            {
                images = IdxReader.ReadImages(stream, MnistSample.ResourceName(imagesName));
            }
            using (var stream = MnistSample.Open(labelsName))
            {
                labels = IdxReader.ReadLabels(stream, MnistSample.ResourceName(labelsName));
            }
            return new MnistDataView(images, labels, MnistSample.ResourceName(imagesName), MnistSample.ResourceName(labelsName));
        }
    }
}
