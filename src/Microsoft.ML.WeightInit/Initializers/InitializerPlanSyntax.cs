using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Modules;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>The text form of an <see cref="InitializerPlan"/>: <c>target=initializer; …</c>, both ways.</summary>
    internal static class InitializerPlanSyntax
    {
        /// <summary>Longest plan text accepted (guards the parser against huge inputs).</summary>
        public const int MaxLength = 16384;

        private const string ZeroLastLayerKey = "zero_last_layer";
        private const string ValidTargets = "weight, bias, LAYER.weight, LAYER.bias (LAYER: letters, digits, '_'), zero_last_layer; " +
            "for a TorchSharp module tree also a module or parameter path (fc2, encoder.layers.0.linear1.weight), a glob (*.bias, " +
            "encoder.layers.*.self_attn.in_proj_weight) and a module type (Conv2d.weight, BatchNorm2d)";

        public static string Format(InitializerPlan plan)
        {
            var sb = new StringBuilder();
            sb.Append("weight=").Append(plan.Weight.TextForm).Append("; bias=").Append(plan.Bias.TextForm);
            var overrides = plan.WeightOverrides.Select(kv => (Layer: kv.Key, Role: 0, kv.Value))
                .Concat(plan.BiasOverrides.Select(kv => (Layer: kv.Key, Role: 1, kv.Value)))
                .OrderBy(o => o.Layer, StringComparer.Ordinal).ThenBy(o => o.Role);
            foreach (var (layer, role, initializer) in overrides)
            {
                sb.Append("; ").Append(layer).Append(role == 0 ? ".weight=" : ".bias=").Append(initializer.TextForm);
            }
            foreach (var rule in plan.Rules.OrderBy(r => r.Target, StringComparer.Ordinal))
            {
                sb.Append("; ").Append(rule.Target).Append('=').Append(rule.Initializer.TextForm);
            }
            if (plan.ZeroLastLayer)
            {
                sb.Append("; ").Append(ZeroLastLayerKey).Append("=true");
            }
            return sb.ToString();
        }

        public static InitializerPlan Parse(string text)
        {
            if (text is null)
            {
                throw new FormatException("An initializer plan is required; got null.");
            }
            if (text.Length > MaxLength)
            {
                throw new FormatException($"Initializer plan is {text.Length} characters long; at most {MaxLength} are accepted.");
            }
            IWeightInitializer? weight = null, bias = null;
            bool? zeroLast = null;
            var weights = new Dictionary<string, IWeightInitializer>(StringComparer.Ordinal);
            var biases = new Dictionary<string, IWeightInitializer>(StringComparer.Ordinal);
            var rules = new List<InitializerRule>();
            var entries = TextFormSyntax.SplitTopLevel(text, ";").Select(e => e.Text).Where(e => e.Length > 0).ToList();
            if (entries.Count == 0)
            {
                throw new FormatException(
                    "An initializer plan needs at least one entry, e.g. 'pytorch_default' or 'weight=xavier_uniform; bias=zeros'.");
            }
            foreach (string entry in entries)
            {
                int eq = TextFormSyntax.TopLevelIndexOf(entry, '=');
                string target = eq < 0 ? "weight" : entry[..eq].Trim();
                string value = eq < 0 ? entry : entry[(eq + 1)..].Trim();
                if (target == ZeroLastLayerKey)
                {
                    if (zeroLast is not null)
                    {
                        throw new FormatException($"Initializer plan entry '{entry}': '{target}' is given twice.");
                    }
                    zeroLast = ParseBool(value, entry);
                    continue;
                }
                if (target == "weight" || target == "bias")
                {
                    var initializer = ParseInitializer(value, entry);
                    if (target == "weight")
                    {
                        Set(ref weight, initializer, target, entry);
                    }
                    else
                    {
                        Set(ref bias, initializer, target, entry);
                    }
                    continue;
                }
                int dot = target.LastIndexOf('.');
                string layer = dot < 0 ? string.Empty : target[..dot];
                string role = dot < 0 ? string.Empty : target[(dot + 1)..];
                if (layer.Length == 0 || !layer.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || (role != "weight" && role != "bias")
                    || char.IsAsciiLetterUpper(layer[0]))
                {
                    var kind = InitializerRule.Classify(target);
                    bool misspelt = kind == RuleKind.Exact && !target.Contains('.')
                        && (target.StartsWith("weight", StringComparison.Ordinal) || target.StartsWith("bias", StringComparison.Ordinal));
                    if (kind is null || misspelt)
                    {
                        throw new FormatException($"Initializer plan entry '{entry}': unknown target '{target}'. Valid targets: {ValidTargets}.");
                    }
                    if (rules.Any(r => r.Target == target))
                    {
                        throw new FormatException($"Initializer plan entry '{entry}': '{target}' is given twice.");
                    }
                    rules.Add(new InitializerRule(target, kind.Value, ParseInitializer(value, entry)));
                    continue;
                }
                var overrides = role == "weight" ? weights : biases;
                if (overrides.ContainsKey(layer))
                {
                    throw new FormatException($"Initializer plan entry '{entry}': '{target}' is given twice.");
                }
                overrides[layer] = ParseInitializer(value, entry);
            }
            return new InitializerPlan(weight ?? new PyTorchDefaultInitializer(), bias ?? new PyTorchDefaultInitializer())
            {
                WeightOverrides = weights,
                BiasOverrides = biases,
                Rules = rules,
                ZeroLastLayer = zeroLast ?? false,
            };
        }

        private static void Set<T>(ref T? slot, T value, string target, string entry)
            where T : class
        {
            if (slot is not null)
            {
                throw new FormatException($"Initializer plan entry '{entry}': '{target}' is given twice (a bare initializer sets 'weight').");
            }
            slot = value;
        }

        private static IWeightInitializer ParseInitializer(string value, string entry)
        {
            try
            {
                return WeightInitializer.Parse(value);
            }
            catch (FormatException e)
            {
                throw new FormatException($"Initializer plan entry '{entry}': {e.Message}", e);
            }
        }

        private static bool ParseBool(string value, string entry) => value switch
        {
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"Initializer plan entry '{entry}': zero_last_layer takes true or false."),
        };
    }
}
