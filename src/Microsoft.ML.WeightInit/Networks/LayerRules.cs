using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Modules;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Resolves an <see cref="InitializerPlan"/> on a <see cref="ClassifierNetwork"/>'s layers with the precedence of
    /// <see cref="InitializerPlan.Apply"/>: exact path (<c>layers.3.weight</c>, <c>layers.3</c>, and the
    /// <c>LAYER.weight</c> overrides) &gt; glob (<c>layers.*.bias</c>) &gt; type (<c>Linear.weight</c>, <c>Conv2d</c>)
    /// &gt; plan-wide <c>weight</c>/<c>bias</c>. A layer's parameters are <c>{layer}.weight</c> and <c>{layer}.bias</c>;
    /// its type is <c>Linear</c>, <c>Conv2d</c> or <c>BatchNorm2d</c> (PyTorch's module type names). The plan-wide
    /// <c>weight</c>/<c>bias</c> apply to the Conv2d and Linear layers only: a batch normalization's parameters take
    /// an exact, glob or type rule that names them, and otherwise keep PyTorch's reset (weight 1, bias 0).
    /// </summary>
    internal static class LayerRules
    {
        /// <summary>The initializer of one parameter, or the plan's own answer when the plan has no module-tree rules
        /// (so plans without them resolve exactly as before).</summary>
        /// <exception cref="ArgumentException">Two rules tie for the parameter.</exception>
        public static IWeightInitializer Resolve(InitializerPlan plan, IParameterizedLayer layer, ParameterRole role)
        {
            if (plan.Rules.Count == 0)
            {
                return plan.For(layer.LayerName, role);
            }
            return Best(AllRules(plan), Parameter(layer, role))!.Initializer;
        }

        /// <summary>The initializer a rule gives a batch normalization's parameter, or null when no exact, glob or type
        /// rule names it (it then keeps PyTorch's reset: weight 1, bias 0).</summary>
        /// <exception cref="ArgumentException">Two rules tie for the parameter.</exception>
        public static IWeightInitializer? ResolveNorm(InitializerPlan plan, BatchNorm2dLayer norm, ParameterRole role) =>
            Best(AllRules(plan).Where(r => r.Kind != RuleKind.PlanWide), Parameter(norm, role))?.Initializer;

        /// <summary>Checks that every module-tree rule of the plan selects a parameter of the layers or of the batch
        /// normalizations.</summary>
        /// <exception cref="ArgumentException">A rule matches nothing (names it and lists the layers and types).</exception>
        public static void Check(InitializerPlan plan, IReadOnlyList<IParameterizedLayer> layers, IReadOnlyList<BatchNorm2dLayer>? norms = null)
        {
            var all = layers.Concat(norms ?? Array.Empty<BatchNorm2dLayer>()).ToList();
            var parameters = all.SelectMany(l => new[] { Parameter(l, ParameterRole.Weight), Parameter(l, ParameterRole.Bias) }).ToList();
            foreach (var rule in plan.Rules)
            {
                if (!parameters.Any(rule.Matches))
                {
                    throw new ArgumentException(
                        $"Initializer plan rule '{rule.Target}={rule.Initializer.TextForm}' matches no parameter of the network. " +
                        $"Layers: {Preview(all.Select(l => l.LayerName))}; types: {string.Join(", ", all.Select(TypeOf).Distinct())}.", "plan");
                }
            }
        }

        /// <summary>PyTorch's module type name of a layer: <c>Conv2d</c>, <c>BatchNorm2d</c> or <c>Linear</c>.</summary>
        public static string TypeOf(IParameterizedLayer layer) => layer switch
        {
            Conv2dLayer => "Conv2d",
            BatchNorm2dLayer => "BatchNorm2d",
            _ => "Linear",
        };

        /// <summary>The rule of highest precedence, most specific within it, that selects the parameter; null when none.</summary>
        private static InitializerRule? Best(IEnumerable<InitializerRule> rules, TreeParameter parameter)
        {
            var matching = rules.Where(r => r.Matches(parameter)).ToList();
            if (matching.Count == 0)
            {
                return null;
            }
            var level = matching.Max(r => r.Kind);
            var best = matching.Where(r => r.Kind == level).GroupBy(r => r.Specificity).OrderByDescending(g => g.Key).First().ToList();
            if (best.Count > 1)
            {
                throw new ArgumentException(
                    $"Initializer plan rules '{best[0].Target}' and '{best[1].Target}' both select '{parameter.Path}' with the same precedence; " +
                    "make one more specific (an exact path beats a glob, a glob beats a type).", "plan");
            }
            return best[0];
        }

        private static IEnumerable<InitializerRule> AllRules(InitializerPlan plan)
        {
            yield return new InitializerRule("weight", RuleKind.PlanWide, plan.Weight);
            yield return new InitializerRule("bias", RuleKind.PlanWide, plan.Bias);
            foreach (var (layer, initializer) in plan.WeightOverrides)
            {
                yield return new InitializerRule(layer + ".weight", RuleKind.Exact, initializer);
            }
            foreach (var (layer, initializer) in plan.BiasOverrides)
            {
                yield return new InitializerRule(layer + ".bias", RuleKind.Exact, initializer);
            }
            foreach (var rule in plan.Rules)
            {
                yield return rule;
            }
        }

        private static TreeParameter Parameter(IParameterizedLayer layer, ParameterRole role)
        {
            string name = layer.LayerName;
            var ancestors = new List<(string Path, string Type)> { (string.Empty, "Network") };
            int dot = name.LastIndexOf('.');
            if (dot > 0)
            {
                ancestors.Add((name[..dot], "ModuleList"));
            }
            ancestors.Add((name, TypeOf(layer)));
            var tensor = role == ParameterRole.Weight ? layer.Weight : layer.Bias;
            return new TreeParameter(name + (role == ParameterRole.Weight ? ".weight" : ".bias"), tensor, ancestors);
        }

        private static string Preview(IEnumerable<string> names)
        {
            var list = names.ToList();
            return list.Count <= 8 ? string.Join(", ", list) : $"{string.Join(", ", list.Take(3))}, …, {list[^1]} ({list.Count} in all)";
        }
    }
}
