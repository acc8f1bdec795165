using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.WeightInit.Networks;
using Onnx;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>An InitCnn ONNX model read and checked: its metadata, plan text, weights and bytes.</summary>
    internal sealed record OnnxModelContents(ModelMetadata Metadata, string InitializationPlan, IReadOnlyList<StoredTensor> Tensors,
        bool ForMLNet, byte[] Bytes)
    {
        public NetworkArchitecture Architecture => NetworkArchitecture.Parse(Metadata.Architecture);

        public ImageShape Shape => new(Metadata.Image.Channels, Metadata.Image.Height, Metadata.Image.Width, Metadata.Image.Classes);
    }

    /// <summary>
    /// Reads an InitCnn ONNX model and checks that it fits its own contract before anything is built from it: the
    /// format and its version, every metadata section, the class count against the label key values, each weight's
    /// name, type and shape against the network the metadata describes, and the whole graph against the one this
    /// library builds from those weights (so a swapped, edited or damaged graph is refused). Every error names
    /// <c>where</c> (the file, and the entry of a zip).
    /// </summary>
    internal static class OnnxModelReader
    {
        /// <exception cref="InvalidDataException">Not an ONNX model, not an InitCnn one, or damaged/inconsistent.</exception>
        /// <exception cref="NotSupportedException">Written in another format version.</exception>
        public static OnnxModelContents Read(byte[] bytes, string where)
        {
            ModelProto model;
            try
            {
                model = ModelProto.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new InvalidDataException($"{where} is not a readable ONNX model (truncated or damaged): {e.Message}", e);
            }
            var props = new Dictionary<string, string>();
            foreach (var entry in model.MetadataProps)
            {
                if (!props.TryAdd(entry.Key, entry.Value))
                {
                    throw new InvalidDataException($"{where}: metadata key '{entry.Key}' appears twice.");
                }
            }
            if (!props.TryGetValue(OnnxFormat.FormatKey, out var format) || format != OnnxFormat.Name)
            {
                throw new InvalidDataException($"{where} is an ONNX model but not an InitCnn model (metadata '{OnnxFormat.FormatKey}' is {(format is null ? "missing" : $"'{format}'")}, expected '{OnnxFormat.Name}').");
            }
            string versionText = Required(props, OnnxFormat.FormatVersionKey, where);
            if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                throw new InvalidDataException($"{where}: format version '{versionText}' is not a number.");
            }
            if (version != OnnxFormat.Version && version != OnnxFormat.ArchitectureVersion)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                    $"{where} holds an InitCnn model in format version {version}; this version of Microsoft.ML.WeightInit reads format versions {OnnxFormat.Version} and {OnnxFormat.ArchitectureVersion}. {(version > OnnxFormat.ArchitectureVersion ? "Update the Microsoft.ML.WeightInit package." : "Save it again with the release that wrote it via ExportStateDict, then ImportInitCnn and save with this one.")}"));
            }
            var metadata = new ModelMetadata
            {
                FormatVersion = version,
                LibraryVersion = props.GetValueOrDefault(OnnxFormat.LibraryVersionKey, ""),
                Image = Section<ImageRecord>(props, OnnxFormat.ImageKey, where),
                Normalization = Section<NormalizationRecord>(props, OnnxFormat.NormalizationKey, where),
                Columns = Section<ColumnsRecord>(props, OnnxFormat.ColumnsKey, where),
                LabelKeyValues = Section<Scoring.LabelKeyValues>(props, OnnxFormat.LabelKeyValuesKey, where),
                ConvolutionPath = Required(props, OnnxFormat.ConvolutionPathKey, where),
                Training = Section<TrainingRecord>(props, OnnxFormat.TrainingKey, where),
                History = Section<List<Training.EpochMetrics>>(props, OnnxFormat.HistoryKey, where),
            };
            var architecture = Architecture(props, version, where);
            metadata.Architecture = architecture.TextForm;
            string plan = Required(props, OnnxFormat.InitializationPlanKey, where);
            var shape = CheckMetadata(metadata, where);
            var tensors = Weights(model.Graph, shape, architecture, where);
            metadata.BatchCounts = BatchCounts(props, architecture, shape, where);
            bool forMLNet = model.Graph?.Output.Any(o => o.Name == OnnxFormat.RowIndexOutput) == true;

            // The graph must be exactly the one this library builds from these weights and this metadata.
            var names = new GraphNames(metadata.Columns.Features, metadata.Columns.Score, forMLNet);
            var expected = OnnxGraph.Build(architecture.Steps(shape), shape, metadata.Normalization.Mean, metadata.Normalization.Std, tensors, names);
            if (!expected.Equals(model.Graph))
            {
                throw new InvalidDataException($"{where}: the ONNX graph is not the InitCnn graph (format version {version}) that its metadata and weights describe; the model was edited or damaged.");
            }
            return new OnnxModelContents(metadata, plan, tensors, forMLNet, bytes);
        }

        private static ImageShape CheckMetadata(ModelMetadata m, string where)
        {
            ImageShape shape;
            try
            {
                shape = new ImageShape(m.Image.Channels, m.Image.Height, m.Image.Width, m.Image.Classes);
            }
            catch (ParameterRangeException e)
            {
                throw new InvalidDataException($"{where}: the model declares images {m.Image.Channels} × {m.Image.Height} × {m.Image.Width} with {m.Image.Classes} classes: {e.Reason}", e);
            }
            var n = m.Normalization;
            if (!float.IsFinite(n.Mean) || !float.IsFinite(n.Std) || !(n.Std > 0))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: the model declares normalization mean {n.Mean} and std {n.Std}; expected finite numbers and std > 0."));
            }
            var c = m.Columns;
            if (string.IsNullOrEmpty(c.Features) || string.IsNullOrEmpty(c.Score) || string.IsNullOrEmpty(c.PredictedLabel))
            {
                throw new InvalidDataException($"{where}: the model has an empty column name.");
            }
            m.LabelKeyValues.Validate(shape.Classes, where);
            return shape;
        }

        /// <summary>The architecture: <c>mnist_net</c> in format version 2 (which has no entry for it), the
        /// <see cref="OnnxFormat.ArchitectureKey"/> entry in version 3 (which must not be <c>mnist_net</c>).</summary>
        private static NetworkArchitecture Architecture(Dictionary<string, string> props, int version, string where)
        {
            if (version == OnnxFormat.Version)
            {
                return props.ContainsKey(OnnxFormat.ArchitectureKey)
                    ? throw new InvalidDataException($"{where}: metadata '{OnnxFormat.ArchitectureKey}' is present in format version {version}, which has none; the model was edited or damaged.")
                    : NetworkArchitecture.MnistNet;
            }
            string text = Required(props, OnnxFormat.ArchitectureKey, where);
            NetworkArchitecture architecture;
            try
            {
                architecture = NetworkArchitecture.Parse(text);
            }
            catch (ArchitectureFormatException e)
            {
                throw new InvalidDataException($"{where}: metadata '{OnnxFormat.ArchitectureKey}' is not a valid architecture: {e.Message}", e);
            }
            return architecture == NetworkArchitecture.MnistNet
                ? throw new InvalidDataException($"{where}: format version {version} declares architecture mnist_net, which is written as format version {OnnxFormat.Version}; the model was edited or damaged.")
                : architecture;
        }

        private static List<StoredTensor> Weights(GraphProto? graph, ImageShape shape, NetworkArchitecture architecture, string where)
        {
            if (graph is null)
            {
                throw new InvalidDataException($"{where}: the ONNX model has no graph.");
            }
            var initializers = new Dictionary<string, TensorProto>();
            foreach (var t in graph.Initializer)
            {
                initializers[t.Name] = t;
            }
            var result = new List<StoredTensor>();
            foreach (var (name, needed) in architecture.ParameterShapes(shape).Where(p => !NetworkState.IsBatchCount(p.Name)))
            {
                if (!initializers.TryGetValue(name, out var t))
                {
                    throw new InvalidDataException($"{where}: the ONNX graph has no initializer '{name}'.");
                }
                if (t.DataType != (int)TensorProto.Types.DataType.Float || !t.Dims.SequenceEqual(needed))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: initializer '{name}' is type {t.DataType} of shape [{string.Join(", ", t.Dims)}]; a model of {shape.Channels} × {shape.Height} × {shape.Width} images and {shape.Classes} classes needs float32 [{string.Join(", ", needed)}]."));
                }
                long count = needed.Aggregate(1L, (a, b) => a * b);
                if (t.RawData.Length != count * sizeof(float))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: initializer '{name}' holds {t.RawData.Length} bytes; shape [{string.Join(", ", needed)}] needs {count * sizeof(float)}."));
                }
                result.Add(new StoredTensor(name, needed, OnnxGraph.ReadFloats(t)));
            }
            return result;
        }

        /// <summary>The <see cref="OnnxFormat.BatchCountsKey"/> entry: required, with exactly the network's
        /// <c>num_batches_tracked</c> names and counts ≥ 0, when the architecture has batch normalization; absent
        /// otherwise.</summary>
        private static Dictionary<string, long>? BatchCounts(Dictionary<string, string> props, NetworkArchitecture architecture, ImageShape shape, string where)
        {
            var names = architecture.ParameterShapes(shape).Select(p => p.Name).Where(NetworkState.IsBatchCount).ToList();
            if (names.Count == 0)
            {
                return props.ContainsKey(OnnxFormat.BatchCountsKey)
                    ? throw new InvalidDataException($"{where}: metadata '{OnnxFormat.BatchCountsKey}' is present but {architecture.TextForm} has no batch normalization; the model was edited or damaged.")
                    : null;
            }
            var counts = Section<Dictionary<string, long>>(props, OnnxFormat.BatchCountsKey, where);
            if (!counts.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(names.OrderBy(k => k, StringComparer.Ordinal)))
            {
                throw new InvalidDataException($"{where}: metadata '{OnnxFormat.BatchCountsKey}' names {string.Join(", ", counts.Keys)}; {architecture.TextForm} has {string.Join(", ", names)}.");
            }
            if (counts.FirstOrDefault(kv => kv.Value < 0) is { Key: not null } negative)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: metadata '{OnnxFormat.BatchCountsKey}' gives {negative.Key} = {negative.Value}; a count of batches is ≥ 0."));
            }
            return counts;
        }

        private static string Required(Dictionary<string, string> props, string key, string where) =>
            props.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{where}: metadata '{key}' is missing.");

        private static T Section<T>(Dictionary<string, string> props, string key, string where)
        {
            string text = Required(props, key, where);
            try
            {
                return JsonSerializer.Deserialize<T>(text, ModelSnapshot.Json)
                    ?? throw new InvalidDataException($"{where}: metadata '{key}' is null.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{where}: metadata '{key}' is not valid: {e.Message}", e);
            }
        }
    }
}
