using System;
using System.IO;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Reads the data section of an IDX file with memory that follows the real data: a raw file's declared size is
    /// checked against its length before allocating; gzip content (length unknown) is read in chunks into a buffer
    /// that grows only as bytes arrive. Either way, missing and trailing bytes are errors.
    /// </summary>
    internal static class IdxBody
    {
        private const int InitialChunk = 1 << 20;

        /// <summary>Reads exactly <paramref name="expectedBytes"/> bytes and checks that the content ends there.</summary>
        /// <param name="input">Content positioned just after the header.</param>
        /// <param name="expectedBytes">Declared size of the data section.</param>
        /// <param name="description">What the data is, for messages (e.g. "60000 images of 28 x 28").</param>
        /// <exception cref="InvalidDataException">The data is shorter or longer than declared, or does not fit an array.</exception>
        public static byte[] Read(IdxInput input, long expectedBytes, string description)
        {
            if (expectedBytes > Array.MaxLength)
            {
                throw IdxHeader.Error(input,
                    $"declares {description} = {expectedBytes:N0} bytes, more than the {Array.MaxLength:N0} bytes one array can hold");
            }

            long? knownRemaining = input.RemainingBytes;
            if (knownRemaining is long remaining)
            {
                if (remaining < expectedBytes)
                {
                    throw Truncated(input, expectedBytes, remaining, description);
                }
                if (remaining > expectedBytes)
                {
                    throw Trailing(input, remaining - expectedBytes, description);
                }
            }

            // Known length (already checked): allocate once. Unknown length: start small and grow with the data.
            byte[] buffer = new byte[knownRemaining.HasValue ? (int)expectedBytes : (int)Math.Min(expectedBytes, InitialChunk)];
            long filled = 0;
            while (filled < expectedBytes)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(expectedBytes, 2L * buffer.Length));
                }
                int n = input.Read(buffer.AsSpan((int)filled));
                if (n == 0)
                {
                    throw Truncated(input, expectedBytes, filled, description);
                }
                filled += n;
            }

            long trailing = CountRemaining(input);
            if (trailing > 0)
            {
                throw Trailing(input, trailing, description);
            }
            return buffer;
        }

        private static long CountRemaining(IdxInput input)
        {
            Span<byte> scratch = stackalloc byte[4096];
            long total = 0;
            int n;
            while ((n = input.Read(scratch)) > 0)
            {
                total += n;
            }
            return total;
        }

        private static InvalidDataException Truncated(IdxInput input, long expected, long actual, string description) =>
            IdxHeader.Error(input,
                $"is truncated: the header declares {description}, i.e. {expected:N0} data bytes after the header, but only {actual:N0} are present" +
                (input.IsGzip ? " (after decompression)" : ""));

        private static InvalidDataException Trailing(IdxInput input, long extra, string description) =>
            IdxHeader.Error(input,
                $"has {extra:N0} unexpected byte(s) after the {description} its header declares" +
                (input.IsGzip ? " (after decompression)" : "") + "; the count in the header may be wrong");
    }
}
