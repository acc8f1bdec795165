using System;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Images read from an IDX file of unsigned bytes with 3 dimensions (magic 2051), such as MNIST's
    /// <c>train-images-idx3-ubyte</c>: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Columns"/> pixels.
    /// </summary>
    /// <remarks>Returned by <see cref="IdxReader.ReadImages(string)"/>. Pixel values are stored unchanged (0..255;
    /// for MNIST 0 is background, 255 full ink).</remarks>
    internal sealed class IdxImages
    {
        internal IdxImages(int count, int rows, int columns, byte[] pixels)
        {
            Count = count;
            Rows = rows;
            Columns = columns;
            PixelArray = pixels;
        }

        /// <summary>Number of images (the first dimension of the IDX header).</summary>
        public int Count { get; }

        /// <summary>Rows (height in pixels) of every image (the second dimension; 28 for MNIST).</summary>
        public int Rows { get; }

        /// <summary>Columns (width in pixels) of every image (the third dimension; 28 for MNIST).</summary>
        public int Columns { get; }

        /// <summary>Pixels per image: <see cref="Rows"/> x <see cref="Columns"/> (784 for MNIST).</summary>
        public int PixelsPerImage => Rows * Columns;

        /// <summary>
        /// All pixels, <see cref="Count"/> x <see cref="Rows"/> x <see cref="Columns"/> bytes, row-major as in the
        /// file: image <c>i</c> occupies bytes <c>[i * PixelsPerImage, (i + 1) * PixelsPerImage)</c>, and within it
        /// pixel (row <c>r</c>, column <c>c</c>) is at <c>r * Columns + c</c>.
        /// </summary>
        public ReadOnlyMemory<byte> Pixels => PixelArray;

        internal byte[] PixelArray { get; }

        /// <summary>The <see cref="PixelsPerImage"/> bytes of image <paramref name="index"/>, row-major.</summary>
        /// <param name="index">Zero-based image index, 0 to <see cref="Count"/> - 1.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside 0..<see cref="Count"/> - 1.</exception>
        public ReadOnlySpan<byte> GetImage(int index)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return PixelArray.AsSpan(index * PixelsPerImage, PixelsPerImage);
        }
    }
}
