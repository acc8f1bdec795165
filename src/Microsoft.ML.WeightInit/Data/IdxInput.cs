using System;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Opens IDX content that may be raw or gzip-compressed, deciding by the gzip magic bytes (1F 8B), not by the
    /// file name, and reports how many bytes are left when that is knowable (raw seekable streams only).
    /// </summary>
    internal sealed class IdxInput : IDisposable
    {
        private readonly Stream? _ownedFile;

        private IdxInput(Stream data, bool isGzip, string displayName, Stream? ownedFile)
        {
            Data = data;
            IsGzip = isGzip;
            DisplayName = displayName;
            _ownedFile = ownedFile;
        }

        /// <summary>The (decompressed) content, positioned at the first byte of the IDX header.</summary>
        public Stream Data { get; }

        /// <summary>Bytes left in <see cref="Data"/> from its current position, or <see langword="null"/> when
        /// unknown (gzip, unseekable).</summary>
        public long? RemainingBytes => !IsGzip && Data.CanSeek ? Data.Length - Data.Position : null;

        /// <summary>Whether the content was gzip-compressed.</summary>
        public bool IsGzip { get; }

        /// <summary>Name used in error messages.</summary>
        public string DisplayName { get; }

        /// <summary>Opens a file; throws <see cref="FileNotFoundException"/> naming the path when it is missing.</summary>
        public static IdxInput OpenFile(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"IDX file not found: '{path}'.", path);
            }

            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            try
            {
                return Open(file, path, file);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>Wraps a caller-owned stream (left open on dispose).</summary>
        public static IdxInput OpenStream(Stream stream, string displayName)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentException.ThrowIfNullOrEmpty(displayName);
            if (!stream.CanRead)
            {
                throw new ArgumentException($"The stream for '{displayName}' is not readable.", nameof(stream));
            }
            return Open(stream, displayName, ownedFile: null);
        }

        private static IdxInput Open(Stream stream, string displayName, Stream? ownedFile)
        {
            Span<byte> magic = stackalloc byte[2];
            int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            Stream rewound;
            if (stream.CanSeek)
            {
                stream.Seek(-read, SeekOrigin.Current);
                rewound = stream;
            }
            else
            {
                rewound = new PrefixedReadStream(magic[..read].ToArray(), stream);
            }

            bool isGzip = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            if (isGzip)
            {
                var gzip = new GZipStream(rewound, CompressionMode.Decompress, leaveOpen: true);
                return new IdxInput(gzip, isGzip: true, displayName, ownedFile);
            }
            return new IdxInput(rewound, isGzip: false, displayName, ownedFile);
        }

        /// <summary>
        /// Reads up to <paramref name="buffer"/>.Length bytes, turning gzip decoding failures into an
        /// <see cref="InvalidDataException"/> that names the file.
        /// </summary>
        public int Read(Span<byte> buffer)
        {
            try
            {
                return Data.Read(buffer);
            }
            catch (InvalidDataException e) when (IsGzip)
            {
                throw new InvalidDataException($"File '{DisplayName}': corrupt gzip data ({e.Message}).", e);
            }
        }

        /// <summary>Reads until <paramref name="buffer"/> is full or the content ends; returns the bytes read.</summary>
        public int ReadFully(Span<byte> buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = Read(buffer[total..]);
                if (n == 0)
                {
                    break;
                }
                total += n;
            }
            return total;
        }

        public void Dispose()
        {
            if (IsGzip)
            {
                Data.Dispose();
            }
            else if (Data is PrefixedReadStream prefixed)
            {
                prefixed.Dispose();
            }
            _ownedFile?.Dispose();
        }
    }
}
