using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace Microsoft.ML.WeightInit.Interop
{
    /// <summary>
    /// Checks a PyTorch state dict file (a zip holding <c>data.pkl</c> and one entry per storage) before
    /// TorchSharp.PyBridge unpickles it. A pickle is a program: this walks its opcodes on an abstract stack, without
    /// building any object, and accepts only what <c>torch.save(net.state_dict(), path)</c> writes.
    /// </summary>
    /// <remarks>
    /// Rejected: a Python global other than <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor</c>(<c>_v2</c>),
    /// <c>torch._utils._rebuild_parameter</c> and the <c>torch.*Storage</c> types (so no arbitrary type is named, let
    /// alone constructed); opcodes a state dict never uses (bytes, extensions, text-protocol objects); any length or
    /// count beyond the bytes present; a storage claiming more bytes than its zip entry really holds (decompressed),
    /// or missing; a tensor with more elements than its storage. Memory used by the check and by the unpickling
    /// after it stays within a small multiple of the file's decompressed content.
    /// </remarks>
    internal static class StateDictPickleCheck
    {
        /// <summary>Largest accepted <c>data.pkl</c>: the MNIST net's takes about 2 KB.</summary>
        public const int MaxPickleBytes = 1 << 20;

        private static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
        {
            "collections.OrderedDict", "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        };

        /// <summary>Bytes per element of the storage types TorchSharp.PyBridge knows.</summary>
        private static readonly Dictionary<string, int> StorageTypes = new(StringComparer.Ordinal)
        {
            ["torch.DoubleStorage"] = 8, ["torch.FloatStorage"] = 4, ["torch.HalfStorage"] = 2, ["torch.LongStorage"] = 8,
            ["torch.IntStorage"] = 4, ["torch.ShortStorage"] = 2, ["torch.CharStorage"] = 1, ["torch.ByteStorage"] = 1,
            ["torch.BoolStorage"] = 1, ["torch.BFloat16Storage"] = 2, ["torch.ComplexDoubleStorage"] = 16, ["torch.ComplexFloatStorage"] = 8,
        };

        /// <summary>Checks the file in <paramref name="stream"/> and puts the stream back where it was.</summary>
        /// <exception cref="ArgumentException">The stream cannot seek (the zip format needs it).</exception>
        /// <exception cref="InvalidDataException">Anything a state dict does not hold (the message says what).</exception>
        public static void Check(Stream stream)
        {
            if (!stream.CanRead || !stream.CanSeek)
            {
                throw new ArgumentException("The state dict stream must be readable and seekable (a zip archive is read from its end).", nameof(stream));
            }
            long start = stream.Position;
            try
            {
                // Every entry's CRC-32 and sizes first: .NET's ZipArchive reads a flipped bit as a different weight.
                try
                {
                    IO.ZipIntegrity.Verify(stream);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException(Error(e.Message.TrimEnd('.')).Message, e);
                }
                stream.Seek(start, SeekOrigin.Begin);
                ZipArchive archive;
                try
                {
                    archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
                }
                catch (InvalidDataException e)
                {
                    throw Error($"it is not a zip archive ({e.Message}); torch.save has written zip archives since PyTorch 1.6");
                }
                using (archive)
                {
                    // The same entries TorchSharp.PyBridge picks: the first whose name ends with data.pkl, and for a
                    // storage key k the first whose full name ends with data/k.
                    var pickle = archive.Entries.FirstOrDefault(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal))
                        ?? throw Error("the archive has no data.pkl entry");
                    new Machine(ReadEntry(pickle), archive, stream.Length).Run();
                }
            }
            finally
            {
                stream.Seek(start, SeekOrigin.Begin);
            }
        }

        /// <summary>The whole entry, read up to <see cref="MaxPickleBytes"/> whatever its header claims.</summary>
        private static byte[] ReadEntry(ZipArchiveEntry entry)
        {
            var bytes = new byte[Math.Min(entry.Length, MaxPickleBytes) + 1];
            int read;
            using (var input = entry.Open())
            {
                read = input.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            }
            if (read > MaxPickleBytes)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture,
                    $"its {entry.FullName} has more than {MaxPickleBytes:N0} bytes; a state dict's pickle has a few kilobytes"));
            }
            if (read != entry.Length)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"its {entry.FullName} holds {read:N0} bytes, not the {entry.Length:N0} its zip header says"));
            }
            return bytes[..read];
        }

        /// <summary>
        /// The bytes an entry really holds (TorchSharp.PyBridge allocates what the pickle claims before reading):
        /// its length when stored, else counted by decompressing it (its header's length may lie), up to that length.
        /// </summary>
        private static long ContentBytes(ZipArchiveEntry entry, long archiveLength)
        {
            if (entry.CompressedLength == entry.Length)
            {
                return entry.Length <= archiveLength ? entry.Length
                    : throw Error($"its entry {entry.FullName} claims {entry.Length:N0} bytes, more than the whole file");
            }
            var buffer = new byte[1 << 16];
            long total = 0;
            using var input = entry.Open();
            int n;
            while (total <= entry.Length && (n = input.Read(buffer)) > 0)
            {
                total += n;
            }
            return Math.Min(total, entry.Length);
        }

        private static InvalidDataException Error(string what) =>
            new($"The file is not a PyTorch state dict that can be loaded safely: {what}.");

        /// <summary>Abstract values: what the checks need to know, never a constructed object.</summary>
        private abstract record Value;

        private sealed record Mark : Value;

        private sealed record Other : Value;

        private sealed record Integer(long Number) : Value;

        private sealed record Text(string Content) : Value;

        private sealed record Global(string Name) : Value;

        private sealed record TupleValue(Value[] Items) : Value;

        private sealed record Storage(long Elements) : Value;

        private sealed class Machine
        {
            private readonly byte[] _pickle;
            private readonly ZipArchive _archive;
            private readonly long _archiveLength;
            private readonly List<Value> _stack = new();
            private readonly Dictionary<long, Value> _memo = new();
            private readonly Dictionary<ZipArchiveEntry, long> _contentBytes = new();
            private int _at;

            public Machine(byte[] pickle, ZipArchive archive, long archiveLength)
            {
                _pickle = pickle;
                _archive = archive;
                _archiveLength = archiveLength;
            }

            public void Run()
            {
                while (true)
                {
                    int offset = _at;
                    byte op = Take(1)[0];
                    switch (op)
                    {
                        case 0x80: Take(1); break;                        // PROTO
                        case 0x95: Take(8); break;                        // FRAME
                        case (byte)'.':                                   // STOP
                            if (_stack.Count != 1 || _stack[0] is Mark)
                            {
                                throw Fail(offset, "the pickle ends with other than one value on its stack");
                            }
                            return;
                        case (byte)'(': Push(new Mark()); break;          // MARK
                        case (byte)'0': Pop(offset); break;               // POP
                        case (byte)'1': PopMark(offset); break;           // POP_MARK
                        case (byte)'2': Push(Peek(offset)); break;        // DUP
                        case (byte)'N': case 0x88: case 0x89: Push(new Other()); break;   // NONE, NEWTRUE, NEWFALSE
                        case (byte)'J': Push(new Integer(BinaryPrimitives.ReadInt32LittleEndian(Take(4)))); break;  // BININT
                        case (byte)'K': Push(new Integer(Take(1)[0])); break;                                      // BININT1
                        case (byte)'M': Push(new Integer(BinaryPrimitives.ReadUInt16LittleEndian(Take(2)))); break; // BININT2
                        case 0x8a: Push(Long(Take(Take(1)[0]))); break;                                           // LONG1
                        case (byte)'G': Take(8); Push(new Other()); break;                                         // BINFLOAT
                        case (byte)'X': Push(new Text(Utf8(Take(Length(4, offset)), offset))); break;              // BINUNICODE
                        case 0x8c: Push(new Text(Utf8(Take(Take(1)[0]), offset))); break;                         // SHORT_BINUNICODE
                        case 0x8d: Push(new Text(Utf8(Take(Length(8, offset)), offset))); break;                   // BINUNICODE8
                        case (byte)'U': Push(new Text(Encoding.Latin1.GetString(Take(Take(1)[0])))); break;       // SHORT_BINSTRING
                        case (byte)'c': Push(CheckGlobal($"{Line(offset)}.{Line(offset)}", offset)); break;         // GLOBAL
                        case 0x93:                                                                                 // STACK_GLOBAL
                            {
                                var name = Pop(offset);
                                var module = Pop(offset);
                                if (module is not Text m || name is not Text n)
                                {
                                    throw Fail(offset, "STACK_GLOBAL without a module and a name");
                                }
                                Push(CheckGlobal($"{m.Content}.{n.Content}", offset));
                                break;
                            }
                        case (byte)'q': _memo[Take(1)[0]] = Peek(offset); break;                                   // BINPUT
                        case (byte)'r': _memo[BinaryPrimitives.ReadInt32LittleEndian(Take(4))] = Peek(offset); break; // LONG_BINPUT
                        case 0x94: _memo[_memo.Count] = Peek(offset); break;                                       // MEMOIZE
                        case (byte)'h': Push(Memo(Take(1)[0], offset)); break;                                     // BINGET
                        case (byte)'j': Push(Memo(BinaryPrimitives.ReadInt32LittleEndian(Take(4)), offset)); break; // LONG_BINGET
                        case (byte)'}': case (byte)']': Push(new Other()); break;                                 // EMPTY_DICT, EMPTY_LIST
                        case (byte)')': Push(new TupleValue(Array.Empty<Value>())); break;                         // EMPTY_TUPLE
                        case (byte)'t': Push(new TupleValue(PopToMark(offset))); break;                            // TUPLE
                        case 0x85: Push(new TupleValue(PopMany(1, offset))); break;                                // TUPLE1
                        case 0x86: Push(new TupleValue(PopMany(2, offset))); break;                                // TUPLE2
                        case 0x87: Push(new TupleValue(PopMany(3, offset))); break;                                // TUPLE3
                        case (byte)'d': case (byte)'l': PopToMark(offset); Push(new Other()); break;              // DICT, LIST
                        case (byte)'s': PopMany(2, offset); Peek(offset); break;                                   // SETITEM
                        case (byte)'u': case (byte)'e': PopToMark(offset); Peek(offset); break;                    // SETITEMS, APPENDS
                        case (byte)'a': Pop(offset); Peek(offset); break;                                          // APPEND
                        case (byte)'b': Pop(offset); Peek(offset); break;                                          // BUILD (__setstate__ of the target)
                        case (byte)'R': case 0x81: Push(Call(offset)); break;                                      // REDUCE, NEWOBJ
                        case (byte)'Q': Push(PersistentLoad(Pop(offset), offset)); break;                          // BINPERSID
                        default:
                            throw Fail(offset, $"opcode 0x{op:X2} ('{(char)op}'), which a state dict does not use");
                    }
                }
            }

            private Value CheckGlobal(string name, int offset) =>
                Callables.Contains(name) || StorageTypes.ContainsKey(name) ? new Global(name)
                    : throw Fail(offset, $"the Python global '{name}'; a state dict names only collections.OrderedDict, torch._utils._rebuild_tensor_v2 and torch.*Storage types");

            private Value Call(int offset)
            {
                var args = Pop(offset);
                var callable = Pop(offset);
                if (callable is not Global { Name: var name } || !Callables.Contains(name) || args is not TupleValue tuple)
                {
                    throw Fail(offset, $"a call of {Describe(callable)}, which a state dict does not make");
                }
                if (name.StartsWith("torch._utils._rebuild_tensor", StringComparison.Ordinal))
                {
                    CheckTensor(tuple.Items, offset);
                }
                return new Other();
            }

            /// <summary>_rebuild_tensor(_v2)(storage, offset, size, stride, …): no more elements than the storage.</summary>
            private static void CheckTensor(Value[] args, int offset)
            {
                if (args.Length < 4 || args[0] is not Storage storage || args[1] is not Integer start || args[2] is not TupleValue size)
                {
                    throw Fail(offset, "a tensor rebuilt from other than (storage, offset, size, stride, …)");
                }
                long elements = 1;
                foreach (var dimension in size.Items)
                {
                    if (dimension is not Integer { Number: >= 0 and <= int.MaxValue } d)
                    {
                        throw Fail(offset, "a tensor size that is not a list of non-negative integers");
                    }
                    elements = d.Number != 0 && elements > long.MaxValue / d.Number ? long.MaxValue : elements * d.Number;
                }
                if (start.Number < 0 || elements > storage.Elements || start.Number > storage.Elements - elements)
                {
                    throw Fail(offset, string.Create(CultureInfo.InvariantCulture,
                        $"a tensor of {elements:N0} elements at offset {start.Number:N0} in a storage of {storage.Elements:N0}"));
                }
            }

            /// <summary>('storage', torch.XStorage, key, location, elements): the entry data/key really holds them.</summary>
            private Value PersistentLoad(Value pid, int offset)
            {
                if (pid is not TupleValue { Items: [Text { Content: "storage" }, Global type, Text key, Text, Integer count] }
                    || !StorageTypes.TryGetValue(type.Name, out int elementSize))
                {
                    throw Fail(offset, "a persistent id other than ('storage', torch.XStorage, key, location, count)");
                }
                var entry = _archive.Entries.FirstOrDefault(f => f.FullName.EndsWith($"data/{key.Content}", StringComparison.Ordinal))
                    ?? throw Fail(offset, $"storage '{key.Content}', which has no data/{key.Content} entry in the archive");
                if (!_contentBytes.TryGetValue(entry, out long content))
                {
                    _contentBytes[entry] = content = ContentBytes(entry, _archiveLength);
                }
                if (count.Number < 0 || count.Number > int.MaxValue / elementSize || count.Number * elementSize > content)
                {
                    throw Fail(offset, string.Create(CultureInfo.InvariantCulture,
                        $"storage '{key.Content}' of {count.Number:N0} elements ({elementSize} bytes each) whose entry {entry.FullName} holds {content:N0} bytes"));
                }
                return new Storage(count.Number);
            }

            private ReadOnlySpan<byte> Take(int count)
            {
                if (count < 0 || count > _pickle.Length - _at)
                {
                    throw Fail(_at, "data that ends early (a length or count beyond its last byte)");
                }
                var span = _pickle.AsSpan(_at, count);
                _at += count;
                return span;
            }

            private int Length(int width, int offset)
            {
                long length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Take(4)) : BinaryPrimitives.ReadInt64LittleEndian(Take(8));
                return length >= 0 && length <= _pickle.Length - _at ? (int)length
                    : throw Fail(offset, string.Create(CultureInfo.InvariantCulture, $"a string of {length:N0} bytes, beyond the pickle's end"));
            }

            private string Line(int offset)
            {
                int end = Array.IndexOf(_pickle, (byte)'\n', _at);
                if (end < 0)
                {
                    throw Fail(offset, "a GLOBAL without its two lines");
                }
                string line = Utf8(_pickle.AsSpan(_at, end - _at), offset);
                _at = end + 1;
                return line;
            }

            private static string Utf8(ReadOnlySpan<byte> bytes, int offset)
            {
                try
                {
                    return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                    throw Fail(offset, "text that is not UTF-8");
                }
            }

            private static Value Long(ReadOnlySpan<byte> bytes)
            {
                if (bytes.Length > 8)
                {
                    return new Other();
                }
                long value = 0;
                for (int i = bytes.Length - 1; i >= 0; i--)
                {
                    value = (value << 8) | bytes[i];
                }
                if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0)
                {
                    value -= 1L << (8 * bytes.Length); // two's complement of the given width
                }
                return new Integer(value);
            }

            private Value Memo(long key, int offset) =>
                _memo.TryGetValue(key, out var value) ? value : throw Fail(offset, $"memo entry {key}, which was never stored");

            private void Push(Value value) => _stack.Add(value);

            private Value Peek(int offset) =>
                _stack.Count > 0 && _stack[^1] is not Mark ? _stack[^1] : throw Fail(offset, "an opcode with no value to act on");

            private Value Pop(int offset)
            {
                var value = Peek(offset);
                _stack.RemoveAt(_stack.Count - 1);
                return value;
            }

            private Value[] PopMany(int count, int offset)
            {
                var values = new Value[count];
                for (int i = count - 1; i >= 0; i--)
                {
                    values[i] = Pop(offset);
                }
                return values;
            }

            private Value[] PopToMark(int offset)
            {
                int mark = _stack.FindLastIndex(v => v is Mark);
                if (mark < 0)
                {
                    throw Fail(offset, "an opcode that needs a MARK without one");
                }
                var values = _stack.Skip(mark + 1).ToArray();
                _stack.RemoveRange(mark, _stack.Count - mark);
                return values;
            }

            private void PopMark(int offset) => PopToMark(offset);

            private static string Describe(Value value) => value switch
            {
                Global g => $"'{g.Name}'",
                _ => "a value that is not a callable",
            };

            private static InvalidDataException Fail(int offset, string what) =>
                Error(string.Create(CultureInfo.InvariantCulture, $"its data.pkl holds, at byte {offset}, {what}"));
        }
    }
}
