using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>One InitCnn ONNX model found in a model zip: its entry and contents.</summary>
    internal sealed record ZippedOnnxModel(string Entry, OnnxModelContents Contents);

    /// <summary>
    /// Reads an ML.NET model zip before ML.NET does: every entry's CRC-32 and size are verified (a flipped bit anywhere
    /// is an error naming the file and entry, never a model that scores differently), a zip of the retired format 1 is
    /// recognized, and every ONNX model ML.NET's OnnxTransformer stored is read and checked (<see cref="OnnxModelReader"/>).
    /// </summary>
    internal static class ModelZip
    {
        /// <summary>Name of the entry in which ML.NET's OnnxTransformer stores its model (length-prefixed bytes).</summary>
        private const string OnnxEntryName = "OnnxModel";

        /// <summary>The InitCnn ONNX models of the zip, in the order of their entries' paths (depth-first chain order).</summary>
        /// <param name="zip">The zip's bytes.</param>
        /// <param name="where">How errors name the file (e.g. <c>Model file 'm.zip'</c>).</param>
        /// <exception cref="InvalidDataException">Not a zip, a damaged entry, or a damaged InitCnn model.</exception>
        /// <exception cref="NotSupportedException">The zip holds an InitCnn model of another format version.</exception>
        public static IReadOnlyList<ZippedOnnxModel> Read(byte[] zip, string where)
        {
            var result = new List<ZippedOnnxModel>();
            ZipArchive archive;
            try
            {
                // Every entry's CRC-32 and sizes, its names and offsets, before a byte is used (the check .pt imports use).
                IO.ZipIntegrity.Verify(new MemoryStream(zip, writable: false));
                archive = new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{where} is not a zip file or is damaged: {e.Message}", e);
            }
            using (archive)
            {
                var entries = new List<(string Name, byte[] Bytes)>();
                foreach (var entry in archive.Entries)
                {
                    entries.Add((entry.FullName, ReadEntry(entry, where)));
                }
                if (!entries.Any(e => e.Name.StartsWith("TransformerChain/", StringComparison.Ordinal) || e.Name.StartsWith("DataLoaderModel/", StringComparison.Ordinal)))
                {
                    throw new InvalidDataException($"{where} is a zip but not an ML.NET model (it has no TransformerChain or DataLoaderModel entry). A PyTorch state dict loads with mlContext.Model.ImportInitCnn.");
                }
                if (entries.Any(e => Contains(e.Bytes, OnnxFormat.Version1Marker, Encoding.Unicode)))
                {
                    throw new NotSupportedException($"{where} holds an InitCnn model in format version 1 (Microsoft.ML.WeightInit 0.1.0, weights in a base64 lookup); this version reads format version {OnnxFormat.Version} (ONNX). Load it with 0.1.0 and ExportStateDict, then ImportInitCnn with this version and save again, or train it again.");
                }
                foreach (var (name, bytes) in entries.Where(e => e.Name.Split('/', '\\')[^1] == OnnxEntryName).OrderBy(e => e.Name, ChainOrder.Instance))
                {
                    string entryWhere = $"{where}, entry '{name}'";
                    var model = OnnxPayload(bytes, entryWhere);
                    if (IsInitCnn(model))
                    {
                        result.Add(new ZippedOnnxModel(name, OnnxModelReader.Read(model, entryWhere)));
                    }
                }
            }
            return result;
        }

        private static byte[] ReadEntry(ZipArchiveEntry entry, string where)
        {
            byte[] bytes;
            try
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }
            catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
            {
                throw new InvalidDataException($"{where}: entry '{entry.FullName}' cannot be read (damaged): {e.Message}", e);
            }
            return bytes;
        }

        /// <summary>The ONNX bytes of an OnnxTransformer entry: a little-endian int32 or int64 length, then the bytes.</summary>
        private static byte[] OnnxPayload(byte[] entry, string where)
        {
            if (entry.Length >= 4 && BitConverter.ToInt32(entry, 0) == entry.Length - 4)
            {
                return entry[4..];
            }
            if (entry.Length >= 8 && BitConverter.ToInt64(entry, 0) == entry.Length - 8)
            {
                return entry[8..];
            }
            throw new InvalidDataException($"{where}: the OnnxTransformer entry's length prefix does not match its size.");
        }

        /// <summary>An InitCnn model names its format in metadata_props: the ASCII name is in its bytes.</summary>
        private static bool IsInitCnn(byte[] model) => Contains(model, OnnxFormat.Name, Encoding.UTF8);

        private static bool Contains(byte[] bytes, string text, Encoding encoding) => bytes.AsSpan().IndexOf(encoding.GetBytes(text)) >= 0;

        /// <summary>Orders entry paths as ML.NET numbers a chain's parts (Transform_2 before Transform_10).</summary>
        private sealed class ChainOrder : IComparer<string>
        {
            public static readonly ChainOrder Instance = new();

            public int Compare(string? x, string? y)
            {
                var a = x!.Split('/', '\\');
                var b = y!.Split('/', '\\');
                for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
                {
                    int c = Part(a[i]).CompareTo(Part(b[i]));
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return a.Length.CompareTo(b.Length);
            }

            private static (string, long) Part(string s)
            {
                int i = s.Length;
                while (i > 0 && char.IsAsciiDigit(s[i - 1]))
                {
                    i--;
                }
                return (s[..i], i < s.Length && s.Length - i < 18 ? long.Parse(s[i..], System.Globalization.CultureInfo.InvariantCulture) : 0);
            }
        }
    }
}
