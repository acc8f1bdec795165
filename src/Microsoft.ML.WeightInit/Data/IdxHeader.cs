using System;
using System.Buffers.Binary;
using System.IO;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Reads and validates the big-endian header of an unsigned-byte IDX file: magic 0x00000803 (2051) followed by
    /// count, rows, columns for images; magic 0x00000801 (2049) followed by count for labels.
    /// </summary>
    internal static class IdxHeader
    {
        /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
        public const uint ImagesMagic = 0x00000803;

        /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
        public const uint LabelsMagic = 0x00000801;

        /// <summary>Largest accepted number of rows or columns of one image.</summary>
        public const int MaxImageSide = 4096;

        /// <summary>
        /// Reads the magic and dimensions. Returns the dimensions (count first) after checking the magic, that every
        /// dimension is at least 1, that the count fits an <see cref="int"/>, and for images that rows and columns
        /// are at most <see cref="MaxImageSide"/>.
        /// </summary>
        /// <exception cref="InvalidDataException">Any check fails; the message names the file.</exception>
        public static int[] Read(IdxInput input, uint expectedMagic)
        {
            int dimensionCount = (int)(expectedMagic & 0xFF);
            int headerLength = 4 * (1 + dimensionCount);
            Span<byte> header = stackalloc byte[headerLength];

            int read = input.ReadFully(header[..4]);
            if (read < 4)
            {
                throw Error(input, $"ends after {read} byte(s), before the 4-byte IDX magic number");
            }
            CheckMagic(input, BinaryPrimitives.ReadUInt32BigEndian(header), expectedMagic);

            read += input.ReadFully(header[4..]);
            if (read < headerLength)
            {
                throw Error(input, $"ends after {read} bytes, inside the {headerLength}-byte header of an IDX {Kind(expectedMagic)}");
            }

            var dimensions = new int[dimensionCount];
            string[] names = dimensionCount == 3 ? ["image count", "rows", "columns"] : ["label count"];
            for (int i = 0; i < dimensionCount; i++)
            {
                uint value = BinaryPrimitives.ReadUInt32BigEndian(header[(4 + 4 * i)..]);
                if (value == 0 || value > int.MaxValue)
                {
                    throw Error(input, $"declares {names[i]} = {value}; expected 1..{int.MaxValue}");
                }
                if (i > 0 && value > MaxImageSide)
                {
                    throw Error(input, $"declares {names[i]} = {value}; expected at most {MaxImageSide} per image side");
                }
                dimensions[i] = (int)value;
            }
            return dimensions;
        }

        private static void CheckMagic(IdxInput input, uint magic, uint expected)
        {
            if (magic == expected)
            {
                return;
            }

            string expectedText = $"expected an IDX {Kind(expected)}, magic {Hex(expected)} = {expected}";
            if (BinaryPrimitives.ReverseEndianness(magic) == expected)
            {
                throw Error(input,
                    $"has a byte-swapped (little-endian) header: magic reads {Hex(magic)}, which is {Hex(expected)} with its bytes reversed. " +
                    "IDX headers are big-endian; rewrite the file with big-endian integers");
            }

            uint other = expected == ImagesMagic ? LabelsMagic : ImagesMagic;
            if (magic == other)
            {
                throw Error(input, $"is an IDX {Kind(other)}, magic {Hex(magic)} = {magic}; {expectedText}");
            }

            if ((magic & 0xFFFF0000) == 0)
            {
                throw Error(input,
                    $"is an IDX file with element type 0x{(magic >> 8) & 0xFF:X2} and {magic & 0xFF} dimension(s) (magic {Hex(magic)}); {expectedText}");
            }

            throw Error(input, $"is not an IDX file: magic {Hex(magic)}; {expectedText}");
        }

        private static string Kind(uint magic) => magic == ImagesMagic ? "image file (unsigned bytes, 3 dimensions)" : "label file (unsigned bytes, 1 dimension)";

        private static string Hex(uint value) => $"0x{value:X8}";

        internal static InvalidDataException Error(IdxInput input, string what) => new($"File '{input.DisplayName}' {what}.");
    }
}
