using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>One parameter tensor as stored: its state-dict name, shape and float32 values (row-major).</summary>
    internal sealed record StoredTensor(string Name, long[] Shape, float[] Values);

    /// <summary>A decoded model blob.</summary>
    internal sealed record DecodedModel(ModelMetadata Metadata, IReadOnlyList<StoredTensor> Tensors);

    /// <summary>
    /// The model blob: metadata and weights in one byte string, carried as base64 text by a MapValue lookup in the
    /// model zip. Layout (little-endian): magic <c>MLWICNN\0</c>, int32 format version, int32 length + UTF-8 JSON
    /// metadata, int32 tensor count, per tensor (int32 length + UTF-8 name, int32 rank, int64 dimensions, float32
    /// values), then the SHA-256 of everything before it.
    /// </summary>
    internal static class ModelBlob
    {
        private const int HashBytes = 32;

        private static readonly JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            WriteIndented = false,
        };

        public static string Encode(ModelMetadata metadata, IReadOnlyList<StoredTensor> tensors)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(ModelFormat.Magic);
                writer.Write(metadata.FormatVersion);
                WriteBytes(writer, JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
                writer.Write(tensors.Count);
                foreach (var tensor in tensors)
                {
                    WriteBytes(writer, Encoding.UTF8.GetBytes(tensor.Name));
                    writer.Write(tensor.Shape.Length);
                    foreach (long dimension in tensor.Shape)
                    {
                        writer.Write(dimension);
                    }
                    writer.Write((long)tensor.Values.Length);
                    WriteFloats(writer, tensor.Values);
                }
            }
            byte[] body = stream.ToArray();
            byte[] blob = new byte[body.Length + HashBytes];
            body.CopyTo(blob, 0);
            SHA256.HashData(body, blob.AsSpan(body.Length));
            return Convert.ToBase64String(blob);
        }

        /// <exception cref="InvalidDataException">Not a model blob, or damaged.</exception>
        /// <exception cref="NotSupportedException">Written by a newer format version than this library reads.</exception>
        public static DecodedModel Decode(ReadOnlySpan<char> base64)
        {
            byte[] blob = new byte[base64.Length / 4 * 3];
            if (!Convert.TryFromBase64Chars(base64, blob, out int length) || length < ModelFormat.Magic.Length + HashBytes)
            {
                throw new InvalidDataException("The InitCnn model blob in this model is not valid base64 text of a model.");
            }
            var bytes = blob.AsSpan(0, length);
            if (!bytes.StartsWith(ModelFormat.Magic))
            {
                throw new InvalidDataException("The InitCnn model blob does not start with the InitCnn magic bytes.");
            }
            var body = bytes[..^HashBytes];
            if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes[^HashBytes..]))
            {
                throw new InvalidDataException("The InitCnn model blob is damaged (its SHA-256 does not match).");
            }
            using var reader = new BinaryReader(new MemoryStream(blob, 0, body.Length), Encoding.UTF8);
            reader.ReadBytes(ModelFormat.Magic.Length);
            int version = reader.ReadInt32();
            if (version > ModelFormat.Version || version < 1)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"This InitCnn model was written in format version {version}; this version of Microsoft.ML.WeightInit reads versions 1 to {ModelFormat.Version}. Update the Microsoft.ML.WeightInit package."));
            }
            var metadata = JsonSerializer.Deserialize<ModelMetadata>(ReadBytes(reader), Json)
                ?? throw new InvalidDataException("The InitCnn model blob has no metadata.");
            if (metadata.Format != ModelFormat.Name)
            {
                throw new InvalidDataException($"The model blob's format is '{metadata.Format}', expected '{ModelFormat.Name}'.");
            }
            CheckMetadata(metadata);
            int count = reader.ReadInt32();
            var tensors = new List<StoredTensor>(count);
            for (int i = 0; i < count; i++)
            {
                string name = Encoding.UTF8.GetString(ReadBytes(reader));
                var shape = new long[reader.ReadInt32()];
                for (int d = 0; d < shape.Length; d++)
                {
                    shape[d] = reader.ReadInt64();
                }
                long values = reader.ReadInt64();
                long expected = 1;
                foreach (long dimension in shape)
                {
                    expected *= dimension;
                }
                if (values != expected || values < 0 || values > int.MaxValue)
                {
                    throw new InvalidDataException($"Tensor '{name}' of the model blob holds {values} values for shape [{string.Join(", ", shape)}].");
                }
                tensors.Add(new StoredTensor(name, shape, ReadFloats(reader, (int)values)));
            }
            return new DecodedModel(metadata, tensors);
        }

        /// <summary>Values no trained model has (a hand-made blob passes the SHA-256) are refused here, before any
        /// network is built from them.</summary>
        private static void CheckMetadata(ModelMetadata m)
        {
            try
            {
                _ = new Networks.ImageShape(m.Channels, m.Height, m.Width, m.Classes);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidDataException($"The InitCnn model blob declares images {m.Channels} × {m.Height} × {m.Width} with {m.Classes} classes: {e.Message.Split(" (Parameter")[0]}", e);
            }
            if (!float.IsFinite(m.NormalizationMean) || !float.IsFinite(m.NormalizationStd) || !(m.NormalizationStd > 0))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"The InitCnn model blob declares normalization mean {m.NormalizationMean} and std {m.NormalizationStd}; expected finite numbers and std > 0."));
            }
            if (string.IsNullOrEmpty(m.FeatureColumnName) || string.IsNullOrEmpty(m.ScoreColumnName) || string.IsNullOrEmpty(m.PredictedLabelColumnName))
            {
                throw new InvalidDataException("The InitCnn model blob has an empty column name.");
            }
        }

        private static void WriteBytes(BinaryWriter writer, byte[] bytes)
        {
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }

        private static byte[] ReadBytes(BinaryReader reader)
        {
            int length = reader.ReadInt32();
            if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            {
                throw new InvalidDataException("The InitCnn model blob is truncated.");
            }
            return reader.ReadBytes(length);
        }

        private static void WriteFloats(BinaryWriter writer, float[] values)
        {
            if (!BitConverter.IsLittleEndian)
            {
                foreach (float value in values)
                {
                    writer.Write(value); // BinaryWriter writes little-endian everywhere.
                }
                return;
            }
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }

        private static float[] ReadFloats(BinaryReader reader, int count)
        {
            var values = new float[count];
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < count; i++)
                {
                    values[i] = reader.ReadSingle();
                }
                return values;
            }
            var bytes = MemoryMarshal.AsBytes(values.AsSpan());
            if (reader.Read(bytes) != bytes.Length)
            {
                throw new InvalidDataException("The InitCnn model blob is truncated.");
            }
            return values;
        }
    }
}
