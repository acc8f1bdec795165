using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.IO.Hashing;
using System.Linq;
using System.Text;

namespace Microsoft.ML.WeightInit.IO
{
    /// <summary>
    /// Verifies a zip archive before any of its content is used: every entry's CRC-32 and sizes agree between the
    /// central directory, the local header (or the data descriptor after the data) and the data itself (decompressed),
    /// names match, and entries neither overlap nor reach past the central directory. .NET's
    /// <see cref="ZipArchive"/> checks none of this when reading, so a bit flip inside a stored tensor would otherwise
    /// be read as a different weight without an error.
    /// </summary>
    /// <remarks>
    /// Zip64 (as torch.save writes it) and data descriptors (general-purpose flag bit 3, as torch.save writes them:
    /// local CRC and sizes 0, the real ones after the data) are understood; encrypted entries, methods other than
    /// stored and deflate, and multi-disk archives are rejected. Offsets are absolute positions in the stream, as
    /// <see cref="ZipArchive"/> reads them.
    /// </remarks>
    internal static class ZipIntegrity
    {
        private const uint LocalSignature = 0x04034b50, CentralSignature = 0x02014b50, EndSignature = 0x06054b50;
        private const uint Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50, DescriptorSignature = 0x08074b50;
        private const int LocalHeaderBytes = 30, CentralHeaderBytes = 46, EndBytes = 22;

        /// <summary>Checks the archive in <paramref name="stream"/> (readable, seekable); the position is not restored.</summary>
        /// <exception cref="InvalidDataException">The archive is damaged; the message names the entry and what
        /// disagrees (e.g. <c>entry 'archive/data/3': CRC-32 of its data is 0x…, the central directory says 0x…</c>).</exception>
        public static void Verify(Stream stream)
        {
            long length = stream.Length;
            var (count, directoryOffset, directorySize) = FindDirectory(stream, length);
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            long at = directoryOffset;
            byte[] header = new byte[CentralHeaderBytes];
            for (long i = 0; i < count; i++)
            {
                if (at + CentralHeaderBytes > directoryOffset + directorySize)
                {
                    throw Damaged(string.Create(CultureInfo.InvariantCulture,
                        $"the central directory ends after {i} of the {count} entries it announces"));
                }
                ReadAt(stream, at, header);
                if (BinaryPrimitives.ReadUInt32LittleEndian(header) != CentralSignature)
                {
                    throw Damaged(string.Create(CultureInfo.InvariantCulture, $"central directory record {i + 1} has no signature at offset {at}"));
                }
                int nameLength = U16(header, 28), extraLength = U16(header, 30), commentLength = U16(header, 32);
                if (at + CentralHeaderBytes + nameLength + extraLength + commentLength > directoryOffset + directorySize)
                {
                    throw Damaged(string.Create(CultureInfo.InvariantCulture, $"central directory record {i + 1} runs past the directory"));
                }
                byte[] nameBytes = new byte[nameLength];
                ReadAt(stream, at + CentralHeaderBytes, nameBytes);
                byte[] extra = new byte[extraLength];
                ReadAt(stream, at + CentralHeaderBytes + nameLength, extra);
                var entry = new Entry(
                    Name: Encoding.UTF8.GetString(nameBytes), NameBytes: nameBytes, Flags: U16(header, 8), Method: U16(header, 10),
                    Crc: BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)),
                    CompressedSize: BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20)),
                    Size: BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24)),
                    Offset: BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(42)));
                entry = Zip64(entry, extra, U16(header, 34));
                if (!names.Add(entry.Name))
                {
                    throw Damaged($"the entry '{entry.Name}' appears twice in the central directory");
                }
                entries.Add(entry);
                at += CentralHeaderBytes + nameLength + extraLength + commentLength;
            }
            if (at != directoryOffset + directorySize)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"the central directory holds {at - directoryOffset} bytes of records, not the {directorySize} its end record says"));
            }
            long previousEnd = 0;
            foreach (var (entry, end) in entries.OrderBy(e => e.Offset).Select(e => (e, VerifyEntry(stream, e, directoryOffset))))
            {
                if (entry.Offset < previousEnd)
                {
                    throw Damaged($"entry '{entry.Name}' overlaps the entry before it");
                }
                previousEnd = end;
            }
        }

        /// <summary>The entry's local header, data and descriptor; returns where the entry ends.</summary>
        private static long VerifyEntry(Stream stream, Entry entry, long directoryOffset)
        {
            string name = entry.Name;
            if ((entry.Flags & 1) != 0)
            {
                throw Damaged($"entry '{name}' is encrypted");
            }
            if (entry.Method is not (0 or 8))
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"entry '{name}' uses compression method {entry.Method}; expected 0 (stored) or 8 (deflate)"));
            }
            if (entry.Offset > directoryOffset - LocalHeaderBytes)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"entry '{name}' has its local header at offset {entry.Offset}, past the entries' area"));
            }
            byte[] header = new byte[LocalHeaderBytes];
            ReadAt(stream, entry.Offset, header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalSignature)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"entry '{name}' has no local header at offset {entry.Offset}"));
            }
            int nameLength = U16(header, 26), extraLength = U16(header, 28);
            long dataStart = entry.Offset + LocalHeaderBytes + nameLength + extraLength;
            if (dataStart > directoryOffset)
            {
                throw Damaged($"entry '{name}': its local header runs into the central directory");
            }
            byte[] localName = new byte[nameLength];
            ReadAt(stream, entry.Offset + LocalHeaderBytes, localName);
            if (!localName.AsSpan().SequenceEqual(entry.NameBytes))
            {
                throw Damaged($"entry '{name}': its local header names '{Encoding.UTF8.GetString(localName)}'");
            }
            byte[] localExtra = new byte[extraLength];
            ReadAt(stream, entry.Offset + LocalHeaderBytes + nameLength, localExtra);
            int localMethod = U16(header, 8), localFlags = U16(header, 6);
            if (localMethod != entry.Method || localFlags != entry.Flags)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{name}': its local header says method {localMethod} and flags 0x{localFlags:x4}, the central directory {entry.Method} and 0x{entry.Flags:x4}"));
            }
            var local = Zip64(entry with
            {
                Crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(14)),
                CompressedSize = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(18)),
                Size = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(22)),
            }, localExtra, diskNumber: 0, local: true);
            bool descriptor = (entry.Flags & 8) != 0;
            // With a data descriptor, the local header may hold zeros instead of the CRC and sizes.
            Same(name, "CRC-32", local.Crc, entry.Crc, descriptor);
            Same(name, "compressed size", local.CompressedSize, entry.CompressedSize, descriptor);
            Same(name, "size", local.Size, entry.Size, descriptor);
            if (entry.CompressedSize > directoryOffset - dataStart)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{name}' claims {entry.CompressedSize:N0} compressed bytes, more than the archive holds before its central directory"));
            }
            if (entry.Method == 0 && entry.CompressedSize != entry.Size)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{name}' is stored, yet its sizes differ ({entry.CompressedSize:N0} and {entry.Size:N0} bytes)"));
            }
            var (crc, size) = Content(stream, entry, dataStart);
            if (size != entry.Size)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{name}' decompresses to {(size > entry.Size ? "more than " : "")}{size:N0} bytes, not the {entry.Size:N0} of the central directory"));
            }
            if (crc != entry.Crc)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{name}': the CRC-32 of its data is 0x{crc:x8}, the central directory says 0x{entry.Crc:x8} (the file is corrupted)"));
            }
            long end = dataStart + entry.CompressedSize;
            return descriptor ? VerifyDescriptor(stream, entry, end, directoryOffset) : end;
        }

        /// <summary>The data descriptor after the data (signature optional; sizes of 4 or, for zip64, 8 bytes).</summary>
        private static long VerifyDescriptor(Stream stream, Entry entry, long at, long directoryOffset)
        {
            byte[] bytes = new byte[(int)Math.Min(24, Math.Max(0, directoryOffset - at))];
            ReadAt(stream, at, bytes);
            int skip = bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == DescriptorSignature ? 4 : 0;
            var span = bytes.AsSpan(skip);
            if (span.Length >= 12 && BinaryPrimitives.ReadUInt32LittleEndian(span) == entry.Crc
                && BinaryPrimitives.ReadUInt32LittleEndian(span[4..]) == entry.CompressedSize && BinaryPrimitives.ReadUInt32LittleEndian(span[8..]) == entry.Size)
            {
                return at + skip + 12;
            }
            if (span.Length >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(span) == entry.Crc
                && BinaryPrimitives.ReadUInt64LittleEndian(span[4..]) == (ulong)entry.CompressedSize && BinaryPrimitives.ReadUInt64LittleEndian(span[12..]) == (ulong)entry.Size)
            {
                return at + skip + 20;
            }
            throw Damaged($"entry '{entry.Name}': the data descriptor after its data does not repeat the central directory's CRC-32 and sizes");
        }

        /// <summary>CRC-32 and size of the entry's (decompressed) content, reading at most one byte past its declared size.</summary>
        private static (uint Crc, long Size) Content(Stream stream, Entry entry, long dataStart)
        {
            var crc = new Crc32();
            var buffer = new byte[1 << 16];
            long total = 0;
            stream.Seek(dataStart, SeekOrigin.Begin);
            using var window = new WindowStream(stream, entry.CompressedSize);
            using Stream input = entry.Method == 8 ? new DeflateStream(window, CompressionMode.Decompress, leaveOpen: true) : window;
            try
            {
                while (total <= entry.Size)
                {
                    int want = (int)Math.Min(buffer.Length, entry.Size + 1 - total);
                    int n = input.Read(buffer, 0, want);
                    if (n == 0)
                    {
                        break;
                    }
                    crc.Append(buffer.AsSpan(0, n));
                    total += n;
                }
            }
            catch (InvalidDataException e)
            {
                throw Damaged($"entry '{entry.Name}' does not decompress ({e.Message})");
            }
            return (crc.GetCurrentHashAsUInt32(), total);
        }

        private static void Same(string name, string what, long local, long central, bool zeroAllowed)
        {
            if (local != central && !(zeroAllowed && local == 0))
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"entry '{name}': its local header says {what} {local}, the central directory {central}"));
            }
        }

        /// <summary>Replaces 0xFFFFFFFF values by those of the zip64 extra field (id 1), in the format's order.</summary>
        private static Entry Zip64(Entry entry, byte[] extra, int diskNumber, bool local = false)
        {
            if (!local && diskNumber != 0 && diskNumber != 0xFFFF)
            {
                throw Damaged($"entry '{entry.Name}' starts on disk {diskNumber}; multi-disk archives are not supported");
            }
            bool size = entry.Size == uint.MaxValue, compressed = entry.CompressedSize == uint.MaxValue, offset = !local && entry.Offset == uint.MaxValue;
            if (!size && !compressed && !offset)
            {
                return entry;
            }
            for (int at = 0; at + 4 <= extra.Length;)
            {
                int id = U16(extra, at), length = U16(extra, at + 2);
                if (at + 4 + length > extra.Length)
                {
                    break;
                }
                if (id == 1)
                {
                    byte[] field = extra[(at + 4)..(at + 4 + length)];
                    int needed = 8 * ((size ? 1 : 0) + (compressed ? 1 : 0) + (offset ? 1 : 0));
                    if (field.Length < needed)
                    {
                        break;
                    }
                    int read = 0;
                    long Next() { long v = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(field.AsSpan(read)), long.MaxValue); read += 8; return v; }
                    return entry with
                    {
                        Size = size ? Next() : entry.Size,
                        CompressedSize = compressed ? Next() : entry.CompressedSize,
                        Offset = offset ? Next() : entry.Offset,
                    };
                }
                at += 4 + length;
            }
            if (local && (entry.Flags & 8) != 0)
            {
                return entry; // sizes in the descriptor
            }
            throw Damaged($"entry '{entry.Name}' has zip64 markers but no zip64 extra field holding its sizes");
        }

        /// <summary>The end of central directory record (zip64's when present): entries and the directory's place.</summary>
        private static (long Count, long Offset, long Size) FindDirectory(Stream stream, long length)
        {
            if (length < EndBytes)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"it has {length} bytes, too few for a zip archive"));
            }
            int tail = (int)Math.Min(length, EndBytes + ushort.MaxValue);
            byte[] bytes = new byte[tail];
            ReadAt(stream, length - tail, bytes);
            int end = -1;
            for (int i = tail - EndBytes; i >= 0; i--)
            {
                // The record whose comment reaches exactly to the end of the file.
                if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == EndSignature && i + EndBytes + U16(bytes, i + 20) == tail)
                {
                    end = i;
                    break;
                }
            }
            if (end < 0)
            {
                throw Damaged("no end of central directory record ends the file (it is truncated, or not a zip archive)");
            }
            long endOffset = length - tail + end;
            int disk = U16(bytes, end + 4), directoryDisk = U16(bytes, end + 6);
            long onDisk = U16(bytes, end + 8), count = U16(bytes, end + 10);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 12));
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
            long directoryEnd = endOffset;
            bool zip64 = count == 0xFFFF || onDisk == 0xFFFF || size == uint.MaxValue || offset == uint.MaxValue
                || (endOffset >= 20 && LocatorAt(stream, endOffset - 20));
            if (zip64)
            {
                if (endOffset < 20 || !LocatorAt(stream, endOffset - 20))
                {
                    throw Damaged("the end record has zip64 markers but no zip64 locator precedes it");
                }
                byte[] locator = new byte[20];
                ReadAt(stream, endOffset - 20, locator);
                long recordOffset = checked((long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8)), long.MaxValue));
                if (recordOffset > endOffset - 20 - 56)
                {
                    throw Damaged(string.Create(CultureInfo.InvariantCulture, $"the zip64 locator points at offset {recordOffset}, not at a zip64 end record"));
                }
                byte[] record = new byte[56];
                ReadAt(stream, recordOffset, record);
                if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
                {
                    throw Damaged(string.Create(CultureInfo.InvariantCulture, $"no zip64 end record at offset {recordOffset}"));
                }
                disk = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(16)), int.MaxValue);
                directoryDisk = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(20)), int.MaxValue);
                onDisk = Long(record, 24);
                count = Long(record, 32);
                size = Long(record, 40);
                offset = Long(record, 48);
                directoryEnd = recordOffset;
            }
            if (disk != 0 || directoryDisk != 0 || onDisk != count)
            {
                throw Damaged("the end record describes a multi-disk archive (or is damaged)");
            }
            if (offset > directoryEnd || size != directoryEnd - offset)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture,
                    $"the end record puts the central directory at offset {offset} with {size} bytes; it must end at offset {directoryEnd}"));
            }
            if (count > size / CentralHeaderBytes)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"the end record announces {count} entries, more than {size} bytes of directory can hold"));
            }
            return (count, offset, size);
        }

        private static bool LocatorAt(Stream stream, long at)
        {
            byte[] signature = new byte[4];
            ReadAt(stream, at, signature);
            return BinaryPrimitives.ReadUInt32LittleEndian(signature) == Zip64LocatorSignature;
        }

        private static long Long(byte[] bytes, int at) => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at)), long.MaxValue);

        private static int U16(byte[] bytes, int at) => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));

        private static void ReadAt(Stream stream, long offset, byte[] buffer)
        {
            if (offset < 0 || offset > stream.Length - buffer.Length)
            {
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"a record at offset {offset} ({buffer.Length} bytes) lies outside the file"));
            }
            stream.Seek(offset, SeekOrigin.Begin);
            stream.ReadExactly(buffer);
        }

        private static InvalidDataException Damaged(string what) => new($"The zip archive is damaged: {what}.");

        private sealed record Entry(string Name, byte[] NameBytes, int Flags, int Method, uint Crc, long CompressedSize, long Size, long Offset);

        /// <summary>The next <c>length</c> bytes of a stream, read-only, leaving the stream open.</summary>
        private sealed class WindowStream : Stream
        {
            private readonly Stream _inner;
            private long _left;

            public WindowStream(Stream inner, long length)
            {
                _inner = inner;
                _left = length;
            }

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = _inner.Read(buffer, offset, (int)Math.Min(count, _left));
                _left -= n;
                return n;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
