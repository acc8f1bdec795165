using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>Moves a <see cref="ClassifierNetwork"/>'s state (parameters, and the running statistics of its batch
    /// normalizations) to and from stored tensors and state dicts.</summary>
    internal static class NetworkState
    {
        /// <summary>Copies the state dict out in its order (conv1.weight, conv1.bias, …, fc2.bias; parameters, then
        /// buffers), as float32, but for batch normalization's batch counts (<see cref="BatchCounts"/>).</summary>
        public static List<StoredTensor> Capture(ClassifierNetwork network)
        {
            var result = new List<StoredTensor>();
            foreach (var (name, tensor) in network.state_dict().Where(kv => !IsBatchCount(kv.Key)))
            {
                using var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
                result.Add(new StoredTensor(name, cpu.shape.ToArray(), cpu.data<float>().ToArray()));
            }
            return result;
        }

        /// <summary>The int64 <c>num_batches_tracked</c> buffers of the network's batch normalizations by state-dict name,
        /// or null when it has none.</summary>
        public static Dictionary<string, long>? BatchCounts(ClassifierNetwork network)
        {
            var counts = network.state_dict().Where(kv => IsBatchCount(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value.item<long>());
            return counts.Count == 0 ? null : counts;
        }

        /// <summary>Whether a state-dict name is a batch normalization's <c>num_batches_tracked</c> buffer.</summary>
        public static bool IsBatchCount(string name) => name.EndsWith("." + BatchNorm2dLayer.CountBuffer, StringComparison.Ordinal);

        /// <summary>Builds a network of <paramref name="shape"/> holding <paramref name="tensors"/> and, for its batch
        /// normalizations, <paramref name="batchCounts"/>.</summary>
        /// <exception cref="InvalidDataException">A parameter is missing, extra, or of another shape.</exception>
        public static ClassifierNetwork Create(ImageShape shape, IReadOnlyList<StoredTensor> tensors, ConvolutionPath path,
            NetworkArchitecture? architecture = null, IReadOnlyDictionary<string, long>? batchCounts = null)
        {
            TorchRuntime.EnsureInitialized();
            var source = new Dictionary<string, Tensor>();
            try
            {
                foreach (var stored in tensors)
                {
                    source[stored.Name] = tensor(stored.Values, stored.Shape);
                }
                foreach (var (name, count) in batchCounts ?? new Dictionary<string, long>())
                {
                    source[name] = tensor(count);
                }
                return Create(shape, source, path, architecture);
            }
            finally
            {
                foreach (var t in source.Values)
                {
                    t.Dispose();
                }
            }
        }

        /// <summary>Builds a network of <paramref name="shape"/> and copies <paramref name="source"/> into it
        /// (float64 tensors are rounded to float32).</summary>
        /// <exception cref="InvalidDataException">A parameter is missing, extra, of another shape, or holds NaN or ∞.</exception>
        public static ClassifierNetwork Create(ImageShape shape, IReadOnlyDictionary<string, Tensor> source, ConvolutionPath path,
            NetworkArchitecture? architecture = null)
        {
            architecture ??= NetworkArchitecture.MnistNet;
            // Checked before the network exists: a file claiming 4096 × 4096 images must not make fc1 allocate 100 GB.
            Check(shape, source, architecture);
            var network = architecture.Build(shape, path);
            try
            {
                using (no_grad())
                {
                    foreach (var (name, parameter) in network.state_dict())
                    {
                        parameter.copy_(source[name]);
                    }
                }
                network.eval();
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        private static void Check(ImageShape shape, IReadOnlyDictionary<string, Tensor> source, NetworkArchitecture architecture)
        {
            var expected = architecture.ParameterShapes(shape);
            var names = expected.Select(p => p.Name).ToList();
            var extra = source.Keys.Except(names).ToList();
            var missing = expected.Where(p => !source.ContainsKey(p.Name)).Select(p => $"{p.Name} {Shape(p.Shape)}").ToList();
            if (extra.Count > 0 || missing.Count > 0)
            {
                throw new InvalidDataException(
                    $"The weights do not fit the network {Describe(architecture, shape)}: missing {Names(missing)}, unexpected {Names(extra.Select(n => $"{n} {Shape(source[n].shape)}").ToList())}. Expected: {string.Join(", ", names)}.");
            }
            foreach (var (name, needed) in expected)
            {
                var value = source[name];
                if (!value.shape.SequenceEqual(needed))
                {
                    throw new InvalidDataException(
                        $"Parameter '{name}' has shape {Shape(value.shape)}; the network needs {Shape(needed)} ({Describe(architecture, shape)}).");
                }
                // A batch normalization's count is int64 in PyTorch's state dicts, float32 in our ONNX initializers.
                bool count = IsBatchCount(name);
                if (value.dtype != ScalarType.Float32 && value.dtype != ScalarType.Float64 && !(count && value.dtype == ScalarType.Int64))
                {
                    throw new InvalidDataException($"Parameter '{name}' is {value.dtype}; expected float32 (or float64{(count ? ", int64" : "")}).");
                }
                CheckFinite(name, value);
                if (count && value.ToDouble() is var batches && (batches < 0 || batches != Math.Floor(batches)))
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Buffer '{name}' holds {batches}; a count of batches must be a whole number ≥ 0."));
                }
            }
        }

        /// <summary>A NaN or ∞ weight would make every score NaN: such a model is refused, naming the value.</summary>
        private static void CheckFinite(string name, Tensor value)
        {
            using var scope = NewDisposeScope();
            var bad = value.isfinite().logical_not().flatten().nonzero();
            if (bad.shape[0] == 0)
            {
                return;
            }
            long index = bad[0, 0].item<long>();
            double number = value.flatten()[index].ToDouble();
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"Parameter '{name}' holds {number} at flat index {index}; a model's weights must be finite numbers (was it saved from a diverged training run?)."));
        }

        private static string Names(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

        private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

        private static string Describe(NetworkArchitecture architecture, ImageShape shape) => string.Create(CultureInfo.InvariantCulture,
            $"{architecture.TextForm} on {shape.Channels} × {shape.Height} × {shape.Width} images, {shape.Classes} classes");
    }
}
