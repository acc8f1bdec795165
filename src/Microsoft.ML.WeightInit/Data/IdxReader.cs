using System;
using System.IO;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Reads IDX files of unsigned bytes, the format of the MNIST and Fashion-MNIST databases
    /// (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS FOR THE MNIST DATABASE").
    /// </summary>
    /// <remarks>
    /// <para>Format: a big-endian header — magic 0x00000803 (2051) then count, rows, columns for images; magic
    /// 0x00000801 (2049) then count for labels — followed by exactly count x rows x columns (images) or count
    /// (labels) bytes.</para>
    /// <para>Input may be raw or gzip-compressed; gzip is recognized by its magic bytes (1F 8B), not by the file
    /// name. Memory follows the real data: the size a header declares is checked against a raw file's length
    /// before anything is allocated, and gzip content is read in chunks into a buffer that grows as bytes arrive, so
    /// a header that claims 10^9 images cannot make the reader allocate for them.</para>
    /// <para>Checks: magic (a byte-swapped, little-endian header is reported as such), every dimension at least 1,
    /// image rows and columns at most 4096, data length exactly as declared (missing and trailing bytes are
    /// errors), the total at most <see cref="Array.MaxLength"/> bytes. Label values are not checked here.</para>
    /// </remarks>
    internal static class IdxReader
    {
        /// <summary>Reads an image file (magic 2051), raw or gzip-compressed.</summary>
        /// <param name="path">Path of the file, e.g. <c>train-images-idx3-ubyte</c> or <c>train-images-idx3-ubyte.gz</c>.</param>
        /// <returns>The images; pixels row-major, unchanged bytes 0..255.</returns>
        /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
        /// <exception cref="FileNotFoundException">No file at <paramref name="path"/> (the exception's FileName is the path).</exception>
        /// <exception cref="InvalidDataException">The content is not a valid image IDX file (wrong or byte-swapped magic,
        /// bad dimensions, truncated or trailing data, corrupt gzip); the message names the file and what was expected.</exception>
        public static IdxImages ReadImages(string path)
        {
            using var input = IdxInput.OpenFile(path);
            return ReadImages(input);
        }

        /// <summary>Reads image IDX content (magic 2051), raw or gzip-compressed, from a stream.</summary>
        /// <param name="stream">Readable stream positioned at the first byte of the content; it is read to its end and left open.</param>
        /// <param name="displayName">Name used in error messages (usually the file name or URL).</param>
        /// <returns>The images; pixels row-major, unchanged bytes 0..255.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="displayName"/> is null or empty, or the stream is not readable.</exception>
        /// <exception cref="InvalidDataException">The content is not a valid image IDX file; the message names <paramref name="displayName"/>.</exception>
        public static IdxImages ReadImages(Stream stream, string displayName)
        {
            using var input = IdxInput.OpenStream(stream, displayName);
            return ReadImages(input);
        }

        /// <summary>Reads a label file (magic 2049), raw or gzip-compressed.</summary>
        /// <param name="path">Path of the file, e.g. <c>train-labels-idx1-ubyte</c> or <c>train-labels-idx1-ubyte.gz</c>.</param>
        /// <returns>The labels, one byte each, any value 0..255.</returns>
        /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
        /// <exception cref="FileNotFoundException">No file at <paramref name="path"/> (the exception's FileName is the path).</exception>
        /// <exception cref="InvalidDataException">The content is not a valid label IDX file; the message names the file and what was expected.</exception>
        public static IdxLabels ReadLabels(string path)
        {
            using var input = IdxInput.OpenFile(path);
            return ReadLabels(input);
        }

        /// <summary>Reads label IDX content (magic 2049), raw or gzip-compressed, from a stream.</summary>
        /// <param name="stream">Readable stream positioned at the first byte of the content; it is read to its end and left open.</param>
        /// <param name="displayName">Name used in error messages (usually the file name or URL).</param>
        /// <returns>The labels, one byte each, any value 0..255.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="displayName"/> is null or empty, or the stream is not readable.</exception>
        /// <exception cref="InvalidDataException">The content is not a valid label IDX file; the message names <paramref name="displayName"/>.</exception>
        public static IdxLabels ReadLabels(Stream stream, string displayName)
        {
            using var input = IdxInput.OpenStream(stream, displayName);
            return ReadLabels(input);
        }

        private static IdxImages ReadImages(IdxInput input)
        {
            int[] dims = IdxHeader.Read(input, IdxHeader.ImagesMagic);
            long bytes = (long)dims[0] * dims[1] * dims[2];
            byte[] pixels = IdxBody.Read(input, bytes, $"{dims[0]:N0} images of {dims[1]} x {dims[2]}");
            return new IdxImages(dims[0], dims[1], dims[2], pixels);
        }

        private static IdxLabels ReadLabels(IdxInput input)
        {
            int[] dims = IdxHeader.Read(input, IdxHeader.LabelsMagic);
            return new IdxLabels(IdxBody.Read(input, dims[0], $"{dims[0]:N0} labels"));
        }
    }
}
