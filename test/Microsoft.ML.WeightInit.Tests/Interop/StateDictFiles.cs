using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Microsoft.ML.WeightInit.Tests.Interop
{
    /// <summary>A hand-written pickle, opcode by opcode (protocol 2, as torch.save writes).</summary>
    internal sealed class PickleWriter
    {
        private readonly List<byte> _bytes = new() { 0x80, 2 };

        public PickleWriter Op(char op) => Raw((byte)op);

        public PickleWriter Raw(params byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        public PickleWriter Global(string module, string name) => Op('c').Raw(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));

        public PickleWriter Str(string text)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            return Op('X').Raw(BitConverter.GetBytes(utf8.Length)).Raw(utf8);
        }

        public PickleWriter Int(int value) => Op('J').Raw(BitConverter.GetBytes(value));

        public PickleWriter Mark() => Op('(');

        public PickleWriter Tuple() => Op('t');

        public PickleWriter EmptyTuple() => Op(')');

        public PickleWriter Reduce() => Op('R');

        public PickleWriter OrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

        public PickleWriter Ints(IEnumerable<long> values)
        {
            Mark();
            foreach (long value in values)
            {
                Int(checked((int)value));
            }
            return Tuple();
        }

        public byte[] ToArray() => _bytes.ToArray();
    }

    /// <summary>One parameter of a hand-made state dict: its name, the shape the pickle declares, its values, and
    /// optionally a storage element count other than the number of values (to lie about it).</summary>
    internal sealed record StateDictParameter(string Name, long[] Shape, float[] Values, long? DeclaredElements = null);

    /// <summary>
    /// Builds PyTorch state dict files (a zip of <c>archive/data.pkl</c> and <c>archive/data/&lt;key&gt;</c> storages, as
    /// torch.save writes them) parameter by parameter, so that tests can lie in any part of them.
    /// </summary>
    internal static class StateDictFiles
    {
        /// <summary>The MNIST net's eight parameters, small seeded values.</summary>
        public static List<StateDictParameter> MnistNet(int seed = 1)
        {
            var random = new Random(seed);
            StateDictParameter P(string name, params long[] shape)
            {
                long count = shape.Aggregate(1L, (a, b) => a * b);
                var values = Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
                return new StateDictParameter(name, shape, values);
            }
            return new List<StateDictParameter>
            {
                P("conv1.weight", 20, 1, 5, 5), P("conv1.bias", 20), P("conv2.weight", 50, 20, 5, 5), P("conv2.bias", 50),
                P("fc1.weight", 500, 800), P("fc1.bias", 500), P("fc2.weight", 10, 500), P("fc2.bias", 10),
            };
        }

        /// <summary>The parameters of <paramref name="architecture"/> on <paramref name="shape"/>'s images, in state-dict
        /// order, small seeded values.</summary>
        public static List<StateDictParameter> Of(Microsoft.ML.WeightInit.Networks.NetworkArchitecture architecture,
            Microsoft.ML.WeightInit.Networks.ImageShape shape, int seed = 1)
        {
            var random = new Random(seed);
            return architecture.ParameterShapes(shape).Select(p => new StateDictParameter(p.Name, p.Shape,
                Enumerable.Range(0, (int)p.Shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() - 0.5) * 0.2f).ToArray())).ToList();
        }

        /// <summary>The pickle torch.save writes for <paramref name="parameters"/>, with <paramref name="extra"/> run
        /// inside the dict's SETITEMS (push key/value pairs there).</summary>
        public static byte[] Pickle(IReadOnlyList<StateDictParameter> parameters, Action<PickleWriter>? extra = null)
        {
            var w = new PickleWriter().OrderedDict().Mark();
            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                w.Str(p.Name).Global("torch._utils", "_rebuild_tensor_v2").Mark()
                    .Mark().Str("storage").Global("torch", "FloatStorage").Str(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Str("cpu")
                    .Int(checked((int)(p.DeclaredElements ?? p.Values.Length))).Tuple().Op('Q')
                    .Int(0).Ints(p.Shape).Ints(Strides(p.Shape)).Raw(0x89).OrderedDict()
                    .Tuple().Reduce();
            }
            extra?.Invoke(w);
            return w.Op('u').Op('.').ToArray();
        }

        /// <summary>The zip: <paramref name="pickle"/> as archive/data.pkl, each parameter's values as archive/data/i.</summary>
        public static byte[] Zip(IReadOnlyList<StateDictParameter> parameters, byte[] pickle, bool compressStorages = false)
        {
            using var stream = new MemoryStream();
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            {
                Add(zip, "archive/data.pkl", pickle, CompressionLevel.NoCompression);
                for (int i = 0; i < parameters.Count; i++)
                {
                    Add(zip, $"archive/data/{i}", MemoryMarshal.AsBytes(parameters[i].Values.AsSpan()).ToArray(),
                        compressStorages ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                }
                Add(zip, "archive/version", Encoding.ASCII.GetBytes("3\n"), CompressionLevel.NoCompression);
            }
            return stream.ToArray();
        }

        public static byte[] Zip(IReadOnlyList<StateDictParameter> parameters) => Zip(parameters, Pickle(parameters));

        private static void Add(ZipArchive zip, string name, byte[] content, CompressionLevel level)
        {
            using var entry = zip.CreateEntry(name, level).Open();
            entry.Write(content);
        }

        private static long[] Strides(long[] shape)
        {
            var strides = new long[shape.Length];
            long stride = 1;
            for (int i = shape.Length - 1; i >= 0; i--)
            {
                strides[i] = stride;
                stride *= shape[i];
            }
            return strides;
        }
    }
}
