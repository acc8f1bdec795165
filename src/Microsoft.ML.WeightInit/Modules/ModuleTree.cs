using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>A module that owns parameters, directly or as the top of a type whose reset is known.</summary>
    /// <param name="Path">Its path in the tree ("" for the root).</param>
    /// <param name="Type">Its type name.</param>
    /// <param name="Known">Whether <see cref="PyTorchDefaults"/> knows its reset (then it covers every parameter under it).</param>
    /// <param name="Parameters">Its parameters by name relative to <paramref name="Path"/>, in the module's order.</param>
    internal sealed record ModuleUnit(string Path, string Type, bool Known, IReadOnlyList<KeyValuePair<string, torch.Tensor>> Parameters)
    {
        public string Full(string relative) => Path.Length == 0 ? relative : Path + "." + relative;
    }

    /// <summary>One parameter of the tree with the modules above it (outermost first, the owner last).</summary>
    internal sealed record TreeParameter(string Path, torch.Tensor Tensor, IReadOnlyList<(string Path, string Type)> Ancestors)
    {
        public string OwnerType => Ancestors[^1].Type;

        public string OwnerPath => Ancestors[^1].Path;
    }

    /// <summary>
    /// The parameters of a TorchSharp module tree as PyTorch names them, grouped into units that get one reset rule.
    /// TorchSharp implements some modules natively (MultiheadAttention, the transformer modules): they have no
    /// managed children, so their inner modules (out_proj, self_attn, linear1, layers.N, …) are named here from
    /// PyTorch's structure for type rules.
    /// </summary>
    internal sealed class ModuleTree
    {
        private ModuleTree(IReadOnlyList<ModuleUnit> units, IReadOnlyList<TreeParameter> parameters)
        {
            Units = units;
            Parameters = parameters;
        }

        /// <summary>Units in pre-order (the order PyTorch constructs, hence draws, them).</summary>
        public IReadOnlyList<ModuleUnit> Units { get; }

        /// <summary>Every parameter in the module's named_parameters order.</summary>
        public IReadOnlyList<TreeParameter> Parameters { get; }

        public static string TypeName(torch.nn.Module module)
        {
            string name = module.GetType().Name;
            int tick = name.IndexOf('`');
            return tick < 0 ? name : name[..tick];
        }

        public static ModuleTree Build(torch.nn.Module root)
        {
            ArgumentNullException.ThrowIfNull(root);
            var units = new List<ModuleUnit>();
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            Walk(root, string.Empty, units, types);
            foreach (var unit in units.Where(u => u.Known))
            {
                foreach (var (name, _) in unit.Parameters)
                {
                    foreach (var (path, type) in PyTorchDefaults.InnerModules(unit.Type, name))
                    {
                        types[unit.Full(path)] = type;
                    }
                }
            }
            var parameters = new List<TreeParameter>();
            foreach (var (path, tensor) in root.named_parameters())
            {
                var ancestors = new List<(string, string)> { (string.Empty, types[string.Empty]) };
                var segments = path.Split('.');
                for (int i = 1; i < segments.Length; i++)
                {
                    string prefix = string.Join('.', segments.Take(i));
                    if (types.TryGetValue(prefix, out string? type))
                    {
                        ancestors.Add((prefix, type));
                    }
                }
                parameters.Add(new TreeParameter(path, tensor, ancestors));
            }
            return new ModuleTree(units, parameters);
        }

        private static void Walk(torch.nn.Module module, string path, List<ModuleUnit> units, Dictionary<string, string> types)
        {
            string type = TypeName(module);
            types[path] = type;
            string Full(string name) => path.Length == 0 ? name : path + "." + name;
            if (PyTorchDefaults.Knows(type))
            {
                var all = module.named_parameters().Select(p => new KeyValuePair<string, torch.Tensor>(p.name, p.parameter)).ToList();
                if (all.Count > 0)
                {
                    units.Add(new ModuleUnit(path, type, true, all));
                }
                return;
            }
            var children = module.named_children().ToList();
            var prefixes = children.Select(c => c.name + ".").ToList();
            var own = module.named_parameters()
                .Where(p => !prefixes.Any(prefix => p.name.StartsWith(prefix, StringComparison.Ordinal)))
                .Select(p => new KeyValuePair<string, torch.Tensor>(p.name, p.parameter))
                .ToList();
            if (own.Count > 0)
            {
                units.Add(new ModuleUnit(path, type, false, own));
            }
            foreach (var (name, child) in children)
            {
                Walk(child, Full(name), units, types);
            }
        }
    }
}
