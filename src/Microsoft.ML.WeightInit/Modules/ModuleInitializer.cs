using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>
    /// PyTorch 1.13's default initialization for any TorchSharp module tree, drawn from a generator you choose.
    /// </summary>
    /// <remarks>
    /// <para>Supported layer types (TorchSharp class names, which are PyTorch's): Linear, Bilinear, Conv1d/2d/3d,
    /// ConvTranspose1d/2d/3d, BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, GroupNorm, LayerNorm, Embedding, EmbeddingBag,
    /// RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, MultiheadAttention, TransformerEncoderLayer, TransformerDecoderLayer,
    /// TransformerEncoder, TransformerDecoder, Transformer; any container or custom module is walked into (children in
    /// registration order). The rules, per type, are in docs/initializers.md ("Layer defaults").</para>
    /// <para>Embedding's padding_idx is not readable from TorchSharp 0.107's native Embedding: a weight that has exactly
    /// one all-zero row (what construction with padding_idx leaves) keeps that row zero, as PyTorch's reset does.</para>
    /// </remarks>
    public static class ModuleInitializer
    {
        /// <summary>
        /// Redraws every parameter of <paramref name="module"/> exactly as PyTorch 1.13 draws it when the same modules
        /// are constructed right after <c>torch.manual_seed(seed)</c>, with <paramref name="generator"/> seeded with
        /// <c>seed</c>: the same distributions, fans and order of draws (submodules in registration order;
        /// MultiheadAttention's out_proj before its in_proj; TransformerEncoder/Decoder layers as deep copies of one
        /// drawn layer; Transformer's extra xavier_uniform_ pass over every parameter with more than one dimension).
        /// BatchNorm/InstanceNorm running statistics are reset too (mean 0, var 1, num_batches_tracked 0).
        /// </summary>
        /// <param name="module">The module tree (any TorchSharp module; float32 or float64 parameters).</param>
        /// <param name="generator">The CPU generator every draw comes from (the global generator is not used).</param>
        /// <param name="unknown">What to do with a parameter of a module type whose reset is not known (default: throw).</param>
        /// <returns>One record per parameter in the module's named_parameters order (path, shape, initializer, fans).</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="UnsupportedModuleException">A parameter belongs to an unsupported module type (the message
        /// names its path and the type); nothing was drawn.</exception>
        public static IReadOnlyList<ParameterInitialization> ResetParameters(torch.nn.Module module, torch.Generator generator,
            UnknownModuleHandling unknown = UnknownModuleHandling.Throw)
        {
            ArgumentNullException.ThrowIfNull(module);
            ArgumentNullException.ThrowIfNull(generator);
            var tree = ModuleTree.Build(module);
            if (unknown == UnknownModuleHandling.Throw)
            {
                var first = tree.Units.FirstOrDefault(u => !u.Known);
                if (first is not null)
                {
                    throw new UnsupportedModuleException(first.Full(first.Parameters[0].Key), first.Type);
                }
            }
            var done = Reset(module, tree, generator, _ => false);
            return tree.Parameters.Select(p => done.TryGetValue(p.Path, out var record)
                    ? record
                    : new ParameterInitialization(p.Path, p.OwnerType, p.Tensor.shape, Untouched, null, null, null))
                .ToList();
        }

        internal const string Untouched = "untouched";

        /// <summary>Runs the default reset of every known unit; returns a record per parameter it filled.</summary>
        internal static Dictionary<string, ParameterInitialization> Reset(torch.nn.Module root, ModuleTree tree, torch.Generator generator, Func<string, bool> skipUnit)
        {
            var owners = tree.Parameters.ToDictionary(p => p.Path, p => p.OwnerType, StringComparer.Ordinal);
            var records = new Dictionary<string, ParameterInitialization>(StringComparer.Ordinal);
            foreach (var unit in tree.Units.Where(u => u.Known && !skipUnit(u.Path)))
            {
                var steps = PyTorchDefaults.Steps(unit);
                var parameters = unit.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                if (PyTorchDefaults.HasRunningStats(unit.Type))
                {
                    ResetRunningStats(root, unit.Path);
                }
                bool[]? paddingRows = unit.Type is "Embedding" or "EmbeddingBag" ? ZeroRow(parameters["weight"]) : null;
                foreach (var step in steps)
                {
                    var tensor = parameters[step.Name];
                    string path = unit.Full(step.Name);
                    if (step.CopyOf is not null)
                    {
                        using (torch.no_grad())
                        {
                            tensor.copy_(parameters[step.CopyOf]);
                        }
                        var source = records[unit.Full(step.CopyOf)];
                        records[path] = source with { Path = path, ModuleType = owners[path], Shape = tensor.shape };
                        continue;
                    }
                    if (step.Initializer is null)
                    {
                        records[path] = new ParameterInitialization(path, owners[path], tensor.shape, Untouched, null, null, null);
                        continue;
                    }
                    var weightShape = step.FanShape ?? tensor.shape;
                    step.Initializer.Initialize(tensor, WeightInitContext.ForParameter(generator, path, step.Role, weightShape));
                    var fans = step.FanShape is { Count: >= 2 } shape ? Fans.Compute(shape, path) : ((long, long)?)null;
                    records[path] = new ParameterInitialization(path, owners[path], tensor.shape, step.Initializer.TextForm,
                        fans?.Item1, step.Role == ParameterRole.Bias ? null : fans?.Item2, null);
                }
                if (paddingRows is not null)
                {
                    ZeroRows(parameters["weight"], paddingRows);
                }
            }
            return records;
        }

        private static void ResetRunningStats(torch.nn.Module root, string path)
        {
            string prefix = path.Length == 0 ? string.Empty : path + ".";
            using var noGrad = torch.no_grad();
            foreach (var (name, buffer) in root.named_buffers())
            {
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || name[prefix.Length..].Contains('.'))
                {
                    continue;
                }
                switch (name[prefix.Length..])
                {
                    case "running_mean":
                    case "num_batches_tracked":
                        buffer.zero_();
                        break;
                    case "running_var":
                        buffer.fill_(1);
                        break;
                }
            }
        }

        /// <summary>The padding row: the one all-zero row of an embedding weight, when there is exactly one.</summary>
        private static bool[]? ZeroRow(torch.Tensor weight)
        {
            if (weight.dim() != 2 || weight.shape[0] < 2 || weight.shape[1] == 0)
            {
                return null;
            }
            using var scope = torch.NewDisposeScope();
            var zero = weight.detach().eq(0).all(1);
            bool[] rows = zero.data<bool>().ToArray();
            return rows.Count(r => r) == 1 ? rows : null;
        }

        private static void ZeroRows(torch.Tensor weight, bool[] rows)
        {
            using var noGrad = torch.no_grad();
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i])
                {
                    using var row = weight[i];
                    row.fill_(0);
                }
            }
        }
    }
}
