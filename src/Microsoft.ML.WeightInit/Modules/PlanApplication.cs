using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary><see cref="InitializerPlan.Apply"/>: resolves the plan's targets on a module tree, then draws.</summary>
    internal static class PlanApplication
    {
        public static IReadOnlyList<ParameterInitialization> Apply(InitializerPlan plan, torch.nn.Module module, torch.Generator generator,
            UnknownModuleHandling unknown)
        {
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentNullException.ThrowIfNull(module);
            ArgumentNullException.ThrowIfNull(generator);
            var tree = ModuleTree.Build(module);
            var rules = Rules(plan, tree);
            var chosen = new Dictionary<string, InitializerRule>(StringComparer.Ordinal);
            var used = new HashSet<InitializerRule>();
            foreach (var parameter in tree.Parameters)
            {
                var rule = InitializerRule.Best(rules, parameter);
                if (rule is not null)
                {
                    chosen[parameter.Path] = rule;
                    used.Add(rule);
                }
            }
            var unmatched = rules.FirstOrDefault(r => r.Kind != RuleKind.PlanWide && !used.Contains(r));
            if (unmatched is not null)
            {
                var types = tree.Parameters.SelectMany(p => p.Ancestors.Select(a => a.Type)).Distinct().OrderBy(t => t, StringComparer.Ordinal);
                throw new ArgumentException(
                    $"Initializer plan rule '{unmatched.Target}={unmatched.Initializer.TextForm}' matches no parameter of the {ModuleTree.TypeName(module)}. " +
                    $"Module types: {string.Join(", ", types)}; parameters: {Preview(tree.Parameters.Select(p => p.Path))}.", "plan");
            }
            var calibrated = chosen.FirstOrDefault(kv => kv.Value.Initializer is IDataDependentInitializer);
            if (calibrated.Value is not null)
            {
                throw new ArgumentException(
                    $"'{calibrated.Key}' uses '{calibrated.Value.Initializer.TextForm}' (rule '{calibrated.Value.Target}'), which needs a calibration batch; " +
                    "InitializerPlan.Apply draws per tensor only.", "plan");
            }
            var unknownPaths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var unit in tree.Units.Where(u => !u.Known))
            {
                foreach (var (name, _) in unit.Parameters)
                {
                    string path = unit.Full(name);
                    unknownPaths.Add(path);
                    if (!chosen.ContainsKey(path) && unknown == UnknownModuleHandling.Throw)
                    {
                        throw new UnsupportedModuleException(path, unit.Type);
                    }
                }
            }

            var records = ModuleInitializer.Reset(module, tree, generator, _ => false);
            var shapes = tree.Parameters.ToDictionary(p => p.Path, p => p.Tensor.shape, StringComparer.Ordinal);
            var result = new List<ParameterInitialization>();
            foreach (var parameter in tree.Parameters)
            {
                string path = parameter.Path;
                if (!chosen.TryGetValue(path, out var rule))
                {
                    result.Add(records.TryGetValue(path, out var record) ? record
                        : new ParameterInitialization(path, parameter.OwnerType, parameter.Tensor.shape, ModuleInitializer.Untouched, null, null, null));
                    continue;
                }
                if (rule.Initializer is PyTorchDefaultInitializer && !unknownPaths.Contains(path))
                {
                    result.Add(records[path] with { Rule = rule.Target });
                    continue;
                }
                var role = Role(path);
                var weightShape = role == ParameterRole.Bias && shapes.TryGetValue(SiblingWeight(path), out var sibling) ? sibling : parameter.Tensor.shape;
                rule.Initializer.Initialize(parameter.Tensor, WeightInitContext.ForParameter(generator, path, role, weightShape));
                var (fanIn, fanOut) = FansUsed(rule.Initializer, role, parameter.Tensor.shape, weightShape, path);
                result.Add(new ParameterInitialization(path, parameter.OwnerType, parameter.Tensor.shape, rule.Initializer.TextForm, fanIn, fanOut, rule.Target));
            }
            return result;
        }

        /// <summary>Every rule of the plan as it applies to a module tree.</summary>
        private static List<InitializerRule> Rules(InitializerPlan plan, ModuleTree tree)
        {
            var rules = new List<InitializerRule>();
            if (plan.Weight is not PyTorchDefaultInitializer)
            {
                rules.Add(new InitializerRule("weight", RuleKind.PlanWide, plan.Weight));
            }
            if (plan.Bias is not PyTorchDefaultInitializer)
            {
                rules.Add(new InitializerRule("bias", RuleKind.PlanWide, plan.Bias));
            }
            rules.AddRange(plan.WeightOverrides.Select(kv => new InitializerRule(kv.Key + ".weight", RuleKind.Exact, kv.Value)));
            rules.AddRange(plan.BiasOverrides.Select(kv => new InitializerRule(kv.Key + ".bias", RuleKind.Exact, kv.Value)));
            rules.AddRange(plan.Rules);
            if (plan.ZeroLastLayer && tree.Parameters.Count > 0)
            {
                string last = tree.Parameters[^1].OwnerPath;
                if (last.Length == 0)
                {
                    throw new ArgumentException("zero_last_layer=true needs a module whose last parameter belongs to a submodule; " +
                        $"'{tree.Parameters[^1].Path}' belongs to the module itself.", "plan");
                }
                var clash = rules.FirstOrDefault(r => r.Kind == RuleKind.Exact && (r.Target == last || r.Target.StartsWith(last + ".", StringComparison.Ordinal)));
                if (clash is not null)
                {
                    throw new ArgumentException(
                        $"The plan sets zero_last_layer=true and also has rule '{clash.Target}' for the last layer '{last}'; keep one of the two.", "plan");
                }
                rules.Add(new InitializerRule(last, RuleKind.Exact, new ZerosInitializer()));
            }
            return rules;
        }

        private static ParameterRole Role(string path)
        {
            string name = path[(path.LastIndexOf('.') + 1)..];
            return name.Contains("bias", StringComparison.Ordinal) ? ParameterRole.Bias : ParameterRole.Weight;
        }

        private static string SiblingWeight(string path)
        {
            int dot = path.LastIndexOf('.');
            return path[..(dot + 1)] + path[(dot + 1)..].Replace("bias", "weight", StringComparison.Ordinal);
        }

        private static (long? FanIn, long? FanOut) FansUsed(IWeightInitializer initializer, ParameterRole role, IReadOnlyList<long> shape,
            IReadOnlyList<long> weightShape, string path)
        {
            bool usesFans = initializer is XavierUniformInitializer or XavierNormalInitializer or KaimingUniformInitializer or KaimingNormalInitializer
                or LecunUniformInitializer or LecunNormalInitializer or VarianceScalingInitializer or PyTorchDefaultInitializer;
            if (!usesFans)
            {
                return (null, null);
            }
            if (initializer is PyTorchDefaultInitializer && role == ParameterRole.Bias)
            {
                return weightShape.Count >= 2 ? (Fans.Compute(weightShape, path).FanIn, null) : (null, null);
            }
            if (shape.Count < 2)
            {
                return (null, null);
            }
            var (fanIn, fanOut) = Fans.Compute(shape, path);
            return (fanIn, fanOut);
        }

        private static string Preview(IEnumerable<string> paths)
        {
            var list = paths.ToList();
            return list.Count <= 12 ? string.Join(", ", list) : string.Join(", ", list.Take(12)) + $", … ({list.Count} in all)";
        }
    }
}
