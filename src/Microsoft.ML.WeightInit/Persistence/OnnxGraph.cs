using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.WeightInit.Networks;
using Onnx;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>How the graph's inputs and outputs are named, and for whom it is built.</summary>
    /// <param name="Features">The input: N × (C·H·W) float32 raw feature values.</param>
    /// <param name="Score">The output: N × K class probabilities (softmax).</param>
    /// <param name="ForMLNet">True: for ML.NET's row-by-row scoring, Score is the first row's [K] probabilities and the
    /// second output <see cref="OnnxFormat.RowIndexOutput"/> its arg-max ([1]); false: Score [N, K] and
    /// <see cref="OnnxFormat.PredictedIndexOutput"/> ([N]).</param>
    internal sealed record GraphNames(string Features, string Score, bool ForMLNet)
    {
        public string Index => ForMLNet ? OnnxFormat.RowIndexOutput : OnnxFormat.PredictedIndexOutput;
    }

    /// <summary>
    /// Builds the ONNX graph of a network from its list of <see cref="LayerStep"/>s: (x − mean) / std, reshape to
    /// N × C × H × W, the steps (Conv, Relu, MaxPool, Flatten, Gemm, BatchNormalization, …; a residual connection is an
    /// Add of a value kept by a Save step), Softmax → Score, ArgMax → the class index. Parameters and buffers are
    /// float32 initializers named as the state dict (<c>conv1.weight</c>, <c>norms.0.running_mean</c>, …); a batch
    /// normalization's <c>num_batches_tracked</c>, which no operator reads, is in the metadata instead
    /// (<see cref="OnnxFormat.BatchCountsKey"/>).
    /// </summary>
    internal static class OnnxGraph
    {
        private const int Float = (int)TensorProto.Types.DataType.Float;
        private const int Int64 = (int)TensorProto.Types.DataType.Int64;

        public static GraphProto Build(IReadOnlyList<LayerStep> steps, ImageShape shape, float mean, float std,
            IReadOnlyList<StoredTensor> tensors, GraphNames names)
        {
            var graph = new GraphProto { Name = "InitCnn" };
            graph.Input.Add(Value(names.Features, Float, "N", shape.FeatureCount));
            graph.Initializer.Add(Floats("normalization.mean", Array.Empty<long>(), new[] { mean }));
            graph.Initializer.Add(Floats("normalization.std", Array.Empty<long>(), new[] { std }));
            graph.Initializer.Add(LongVector("image.shape", -1, shape.Channels, shape.Height, shape.Width));
            foreach (var tensor in tensors)
            {
                graph.Initializer.Add(Floats(tensor.Name, tensor.Shape, tensor.Values));
            }
            graph.Node.Add(Node("Sub", new[] { names.Features, "normalization.mean" }, "centred"));
            graph.Node.Add(Node("Div", new[] { "centred", "normalization.std" }, "normalized"));
            graph.Node.Add(Node("Reshape", new[] { "normalized", "image.shape" }, "images"));
            string x = "images";
            var kept = new Dictionary<string, string>(StringComparer.Ordinal); // Save/Load/Add: tensor name → graph value
            for (int i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                if (step.Kind == LayerKind.Save)
                {
                    kept[step.Parameter!] = x;
                    continue;
                }
                if (step.Kind == LayerKind.Load)
                {
                    x = Kept(kept, step);
                    continue;
                }
                string prefix = step.Kind == LayerKind.Add ? "add" : step.Parameter ?? step.Kind.ToString().ToLowerInvariant();
                string output = string.Create(CultureInfo.InvariantCulture, $"{prefix}.{i}");
                graph.Node.Add(step.Kind switch
                {
                    LayerKind.Convolution => Node("Conv", new[] { x, step.Parameter + ".weight", step.Parameter + ".bias" }, output,
                        Ints("kernel_shape", step.Size, step.Size), Ints("strides", 1, 1), Ints("pads", step.Padding, step.Padding, step.Padding, step.Padding),
                        Ints("dilations", 1, 1), Int("group", 1)),
                    LayerKind.Relu => Node("Relu", new[] { x }, output),
                    LayerKind.Tanh => Node("Tanh", new[] { x }, output),
                    LayerKind.Selu => Node("Selu", new[] { x }, output),
                    LayerKind.GlobalAveragePool => Node("GlobalAveragePool", new[] { x }, output),
                    LayerKind.MaxPool => Node("MaxPool", new[] { x }, output,
                        Ints("kernel_shape", step.Size, step.Size), Ints("strides", step.Size, step.Size), Ints("pads", 0, 0, 0, 0)),
                    LayerKind.Flatten => Node("Flatten", new[] { x }, output, Int("axis", 1)),
                    LayerKind.Linear => Node("Gemm", new[] { x, step.Parameter + ".weight", step.Parameter + ".bias" }, output, Int("transB", 1)),
                    LayerKind.Add => Node("Add", new[] { x, Kept(kept, step) }, output),
                    LayerKind.BatchNormalization => Node("BatchNormalization",
                        new[] { x, step.Parameter + ".weight", step.Parameter + ".bias", step.Parameter + ".running_mean", step.Parameter + ".running_var" }, output,
                        FloatAttribute("epsilon", (float)BatchNorm2dLayer.Epsilon)),
                    _ => throw new NotSupportedException($"Layer kind {step.Kind} has no ONNX form."),
                });
                x = output;
            }
            if (names.ForMLNet)
            {
                // ML.NET scores one row per run and sees a graph output of shape [N, K] as a 1 × K tensor column: the
                // outputs are the single row's K probabilities ([K]) and its arg-max ([1]).
                graph.Initializer.Add(Longs("row.zero", Array.Empty<long>(), 0));
                graph.Node.Add(Node("Softmax", new[] { x }, "probabilities", Int("axis", 1)));
                graph.Node.Add(Node("Gather", new[] { "probabilities", "row.zero" }, names.Score, Int("axis", 0)));
                graph.Node.Add(Node("ArgMax", new[] { names.Score }, names.Index, Int("axis", 0), Int("keepdims", 1)));
                graph.Output.Add(Value(names.Score, Float, shape.Classes));
                graph.Output.Add(Value(names.Index, Int64, 1));
            }
            else
            {
                graph.Node.Add(Node("Softmax", new[] { x }, names.Score, Int("axis", 1)));
                graph.Node.Add(Node("ArgMax", new[] { names.Score }, names.Index, Int("axis", 1), Int("keepdims", 0)));
                graph.Output.Add(Value(names.Score, Float, "N", shape.Classes));
                graph.Output.Add(Value(names.Index, Int64, "N"));
            }
            return graph;
        }

        /// <summary>The graph value kept under a <see cref="LayerKind.Save"/> step's name.</summary>
        private static string Kept(Dictionary<string, string> kept, LayerStep step) =>
            kept.TryGetValue(step.Parameter ?? string.Empty, out var value)
                ? value
                : throw new InvalidOperationException($"Step {step.Kind} reads the tensor '{step.Parameter}', which no earlier Save step kept.");

        public static ModelProto Model(GraphProto graph, IEnumerable<KeyValuePair<string, string>> metadata, string producerVersion)
        {
            var model = new ModelProto
            {
                IrVersion = OnnxFormat.IrVersion,
                ProducerName = OnnxFormat.Producer,
                ProducerVersion = producerVersion,
                ModelVersion = OnnxFormat.Version,
                DocString = "InitCnn image classifier (Microsoft.ML.WeightInit): input raw feature values, output class probabilities (Score) and the arg-max class index.",
                Graph = graph,
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxFormat.Opset });
            foreach (var (key, value) in metadata)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
            return model;
        }

        /// <summary>The float32 values of an initializer written by <see cref="Build"/> (raw little-endian data).</summary>
        public static float[] ReadFloats(TensorProto tensor)
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Reading ONNX weights needs a little-endian machine.");
            }
            var bytes = tensor.RawData.Span;
            if (bytes.Length % sizeof(float) != 0)
            {
                throw new System.IO.InvalidDataException($"Initializer '{tensor.Name}' holds {bytes.Length} bytes, not a whole number of float32 values.");
            }
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        private static ValueInfoProto Value(string name, int type, params object[] dimensions)
        {
            var shape = new TensorShapeProto();
            foreach (var d in dimensions)
            {
                shape.Dim.Add(d is string parameter
                    ? new TensorShapeProto.Types.Dimension { DimParam = parameter }
                    : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, CultureInfo.InvariantCulture) });
            }
            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type, Shape = shape } },
            };
        }

        private static TensorProto Floats(string name, long[] shape, float[] values)
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Writing ONNX weights needs a little-endian machine.");
            }
            var tensor = new TensorProto { Name = name, DataType = Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
            tensor.Dims.AddRange(shape);
            return tensor;
        }

        private static TensorProto Longs(string name, long[] shape, params long[] values)
        {
            var tensor = new TensorProto { Name = name, DataType = Int64 };
            tensor.Dims.AddRange(shape);
            tensor.Int64Data.AddRange(values);
            return tensor;
        }

        private static TensorProto LongVector(string name, params long[] values) => Longs(name, new long[] { values.Length }, values);

        private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = output };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            node.Attribute.AddRange(attributes);
            return node;
        }

        private static AttributeProto Int(string name, long value) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static AttributeProto FloatAttribute(string name, float value) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

        private static AttributeProto Ints(string name, params long[] values)
        {
            var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            attribute.Ints.AddRange(values);
            return attribute;
        }
    }
}
