using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.WeightInit.Initializers;

namespace Microsoft.ML.WeightInit.Modules
{
    /// <summary>How a plan target selects parameters of a module tree; the order is the precedence (highest last).</summary>
    internal enum RuleKind
    {
        /// <summary><c>weight</c> / <c>bias</c>: every parameter with that name (plan-wide default).</summary>
        PlanWide,

        /// <summary><c>Type</c> or <c>Type.name</c> (name may be a glob): parameters of modules of that type.</summary>
        Type,

        /// <summary>A glob over the full parameter path: <c>*</c> any characters (dots included), <c>?</c> one.</summary>
        Glob,

        /// <summary>A module path (every parameter under it) or a parameter path.</summary>
        Exact,
    }

    /// <summary>One <c>target=initializer</c> entry of a plan, as it selects parameters of a module tree.</summary>
    internal sealed record InitializerRule(string Target, RuleKind Kind, IWeightInitializer Initializer)
    {
        /// <summary>The rule of highest precedence (exact &gt; glob &gt; type &gt; plan-wide), most specific within it,
        /// that selects <paramref name="parameter"/>; null when none does.</summary>
        /// <exception cref="ArgumentException">Two rules tie for the parameter (parameter name <c>plan</c>).</exception>
        public static InitializerRule? Best(IEnumerable<InitializerRule> rules, TreeParameter parameter)
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

        /// <summary>Classifies a target; null when it is none of the rule forms.</summary>
        public static RuleKind? Classify(string target)
        {
            if (target is "weight" or "bias")
            {
                return RuleKind.PlanWide;
            }
            if (target.Length == 0 || target.Split('.').Any(s => s.Length == 0)
                || !target.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '*' or '?'))
            {
                return null;
            }
            if (target.Contains('*') || target.Contains('?'))
            {
                return char.IsAsciiLetterUpper(target[0]) && !target.Split('.')[0].Any(c => c is '*' or '?') ? RuleKind.Type : RuleKind.Glob;
            }
            return char.IsAsciiLetterUpper(target[0]) ? RuleKind.Type : RuleKind.Exact;
        }

        /// <summary>The type name of a type rule (<c>Conv2d</c> of <c>Conv2d.weight</c>).</summary>
        public string TypeName => Target.Split('.')[0];

        /// <summary>The parameter name of a type rule relative to the module of that type (<c>weight</c>), or null for all.</summary>
        public string? Relative => Target.Contains('.') ? Target[(Target.IndexOf('.') + 1)..] : null;

        /// <summary>How specific the rule is within its precedence level (the most specific matching rule wins).</summary>
        public int Specificity => Kind switch
        {
            RuleKind.Exact => Target.Length,
            RuleKind.Glob => Target.Count(c => c is not '*' and not '?'),
            RuleKind.Type => Relative is null ? 0 : 1 + Relative.Count(c => c is not '*' and not '?'),
            _ => 0,
        };

        /// <summary>Whether the rule selects the parameter.</summary>
        public bool Matches(TreeParameter parameter)
        {
            string path = parameter.Path;
            switch (Kind)
            {
                case RuleKind.PlanWide:
                    return path == Target || path.EndsWith("." + Target, StringComparison.Ordinal);
                case RuleKind.Exact:
                    return path == Target || path.StartsWith(Target + ".", StringComparison.Ordinal);
                case RuleKind.Glob:
                    return Glob(Target, path);
                default:
                    if (Relative is null)
                    {
                        return parameter.OwnerType == TypeName;
                    }
                    foreach (var (ancestor, type) in parameter.Ancestors)
                    {
                        string rest = ancestor.Length == 0 ? path : path[(ancestor.Length + 1)..];
                        if (type == TypeName && (ancestor.Length == 0 || path.StartsWith(ancestor + ".", StringComparison.Ordinal)) && Glob(Relative, rest))
                        {
                            return true;
                        }
                    }
                    return false;
            }
        }

        private static bool Glob(string pattern, string text) =>
            Regex.IsMatch(text, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
