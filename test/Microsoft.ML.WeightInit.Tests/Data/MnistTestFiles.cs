using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using Microsoft.ML.WeightInit.Data;

namespace Microsoft.ML.WeightInit.Tests.Data
{
    /// <summary>Builds IDX test files from the bundled sample, in a temporary directory deleted on dispose.</summary>
    internal sealed class MnistTestFiles : IDisposable
    {
        public static readonly string[] CanonicalNames =
            ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

        public MnistTestFiles()
        {
            Directory = Path.Combine(Path.GetTempPath(), "weightinit-tests-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
        }

        public string Directory { get; }

        public string PathOf(string name) => Path.Combine(Directory, name);

        public string Write(string name, byte[] bytes)
        {
            string path = PathOf(name);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>Writes the four sample files under their canonical names, raw or gzip.</summary>
        public string WriteSample(bool gzip = false, string? subdirectory = null)
        {
            string directory = subdirectory is null ? Directory : Path.Combine(Directory, subdirectory);
            System.IO.Directory.CreateDirectory(directory);
            foreach (string name in CanonicalNames)
            {
                byte[] raw = SampleRaw(name);
                File.WriteAllBytes(Path.Combine(directory, gzip ? name + ".gz" : name), gzip ? Gzip(raw) : raw);
            }
            return directory;
        }

        /// <summary>Decompressed bytes of an embedded sample file (canonical name, e.g. train-images-idx3-ubyte).</summary>
        public static byte[] SampleRaw(string canonical)
        {
            using var gzip = new GZipStream(MnistSample.Open(canonical), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            return buffer.ToArray();
        }

        public static byte[] Gzip(byte[] raw)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(raw);
            }
            return buffer.ToArray();
        }

        /// <summary>An image IDX header (magic 2051) with the given dimensions, big-endian.</summary>
        public static byte[] ImagesHeader(uint count, uint rows = 28, uint columns = 28)
        {
            var header = new byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(header, 0x00000803);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), count);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), rows);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), columns);
            return header;
        }

        /// <summary>A label IDX file (magic 2049) holding <paramref name="labels"/>.</summary>
        public static byte[] LabelsFile(params byte[] labels)
        {
            var file = new byte[8 + labels.Length];
            BinaryPrimitives.WriteUInt32BigEndian(file, 0x00000801);
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(4), (uint)labels.Length);
            labels.CopyTo(file, 8);
            return file;
        }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A read-only stream that hides seeking and length, as a network stream does.</summary>
    internal sealed class UnseekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
