using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>Moves an <see cref="MnistCnn"/>'s parameters to and from stored tensors and state dicts.</summary>
    internal static class NetworkState
    {
        /// <summary>Copies the parameters out, in state-dict order (conv1.weight, conv1.bias, …, fc2.bias).</summary>
        public static List<StoredTensor> Capture(MnistCnn network)
        {
            var result = new List<StoredTensor>();
            foreach (var (name, tensor) in network.state_dict())
            {
                using var cpu = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
                result.Add(new StoredTensor(name, cpu.shape.ToArray(), cpu.data<float>().ToArray()));
            }
            return result;
        }

        /// <summary>Builds a network of <paramref name="shape"/> holding <paramref name="tensors"/>.</summary>
        /// <exception cref="InvalidDataException">A parameter is missing, extra, or of another shape.</exception>
        public static MnistCnn Create(ImageShape shape, IReadOnlyList<StoredTensor> tensors, ConvolutionPath path)
        {
            TorchRuntime.EnsureInitialized();
            var source = new Dictionary<string, Tensor>();
            try
            {
                foreach (var stored in tensors)
                {
                    source[stored.Name] = tensor(stored.Values, stored.Shape);
                }
                return Create(shape, source, path);
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
        /// <exception cref="InvalidDataException">A parameter is missing, extra, or of another shape.</exception>
        public static MnistCnn Create(ImageShape shape, IReadOnlyDictionary<string, Tensor> source, ConvolutionPath path)
        {
            var network = new MnistCnn(shape, path);
            try
            {
                Assign(network, source);
                network.eval();
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        private static void Assign(MnistCnn network, IReadOnlyDictionary<string, Tensor> source)
        {
            var parameters = network.state_dict();
            var extra = source.Keys.Except(parameters.Keys).ToList();
            var missing = parameters.Keys.Except(source.Keys).ToList();
            if (extra.Count > 0 || missing.Count > 0)
            {
                throw new InvalidDataException(
                    $"The weights do not fit the network: missing {Names(missing)}, unexpected {Names(extra)}. Expected: {string.Join(", ", parameters.Keys)}.");
            }
            using var noGrad = no_grad();
            foreach (var (name, parameter) in parameters)
            {
                var value = source[name];
                if (!value.shape.SequenceEqual(parameter.shape))
                {
                    throw new InvalidDataException(
                        $"Parameter '{name}' has shape [{string.Join(", ", value.shape)}]; the network needs [{string.Join(", ", parameter.shape)}].");
                }
                if (value.dtype != ScalarType.Float32 && value.dtype != ScalarType.Float64)
                {
                    throw new InvalidDataException($"Parameter '{name}' is {value.dtype}; expected float32 (or float64).");
                }
                parameter.copy_(value);
            }
        }

        private static string Names(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
