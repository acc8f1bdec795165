using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.ML.WeightInit.Modules;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Which initializer fills each parameter of a network: one for weights, one for biases, per-layer overrides by
    /// layer name (<c>conv1</c>, <c>conv2</c>, <c>fc1</c>, <c>fc2</c>), and optionally zeros for the last layer.
    /// </summary>
    /// <remarks>
    /// <para>Text form (<see cref="TextForm"/>, read back by <see cref="Parse"/>): entries separated by <c>;</c>, each
    /// <c>target=initializer</c>, e.g.
    /// <c>weight=kaiming_normal(a=0, mode=fan_out, nonlinearity=relu); bias=zeros; conv2.weight=orthogonal(gain=1)</c>.
    /// Targets: <c>weight</c>, <c>bias</c>, <c>LAYER.weight</c>, <c>LAYER.bias</c> and <c>zero_last_layer=true|false</c>.
    /// Anything not named keeps PyTorch's default reset (<c>pytorch_default</c>), so a bare initializer such as
    /// <c>xavier_uniform</c> is shorthand for <c>weight=xavier_uniform(gain=1); bias=pytorch_default</c>. The canonical
    /// form lists <c>weight</c> and <c>bias</c> first, then the overrides by layer name (ordinal order), weight
    /// before bias, then the module-tree rules below (ordinal order of their targets), then <c>zero_last_layer=true</c> when set.</para>
    /// <para>For any TorchSharp module tree (<see cref="Apply"/>) a target may also be a module or parameter path
    /// (<c>fc2</c>, <c>encoder.layers.0.linear1.weight</c>), a glob over parameter paths (<c>*.bias</c>,
    /// <c>encoder.layers.*.self_attn.in_proj_weight</c>; <c>*</c> matches any characters, dots included, <c>?</c> one)
    /// or a module type, alone or with a parameter name relative to it (<c>Linear</c>, <c>Conv2d.weight</c>,
    /// <c>MultiheadAttention.out_proj.weight</c>; a type starts with a capital letter). When several targets select a
    /// parameter, precedence is: exact path &gt; glob &gt; type &gt; plan-wide <c>weight</c>/<c>bias</c> &gt; PyTorch's
    /// default; within a level the most specific wins (the longer path, the glob or type rule with more literal
    /// characters), and a tie is an error.</para>
    /// </remarks>
    public sealed record InitializerPlan
    {
        /// <summary>Creates a plan.</summary>
        /// <param name="weight">Initializer of every weight without an override.</param>
        /// <param name="bias">Initializer of every bias without an override.</param>
        /// <exception cref="ArgumentNullException">An initializer is null.</exception>
        public InitializerPlan(IWeightInitializer weight, IWeightInitializer bias)
        {
            Weight = weight ?? throw new ArgumentNullException(nameof(weight));
            Bias = bias ?? throw new ArgumentNullException(nameof(bias));
        }

        /// <summary>PyTorch's own reset everywhere (what constructing the PyTorch modules does).</summary>
        public static InitializerPlan PyTorchDefault { get; } = new(new PyTorchDefaultInitializer(), new PyTorchDefaultInitializer());

        /// <summary>Initializer of every weight without an override.</summary>
        public IWeightInitializer Weight { get; init; }

        /// <summary>Initializer of every bias without an override.</summary>
        public IWeightInitializer Bias { get; init; }

        /// <summary>Weight initializers by layer name, taking precedence over <see cref="Weight"/>.</summary>
        public IReadOnlyDictionary<string, IWeightInitializer> WeightOverrides { get; init; } = new Dictionary<string, IWeightInitializer>();

        /// <summary>Bias initializers by layer name, taking precedence over <see cref="Bias"/>.</summary>
        public IReadOnlyDictionary<string, IWeightInitializer> BiasOverrides { get; init; } = new Dictionary<string, IWeightInitializer>();

        /// <summary>Module-tree rules (path, glob and type targets) for <see cref="Apply"/>, as written.</summary>
        internal IReadOnlyList<InitializerRule> Rules { get; init; } = Array.Empty<InitializerRule>();

        /// <summary>
        /// When true, the last layer (fc2) gets zeros for weight and bias, whatever <see cref="Weight"/> and
        /// <see cref="Bias"/> say (an override for that layer is then an error). Text form: <c>zero_last_layer=true</c>.
        /// Default false.
        /// </summary>
        public bool ZeroLastLayer { get; init; }

        /// <summary>The canonical text form, which <see cref="Parse"/> reads back to an equal plan.</summary>
        public string TextForm => InitializerPlanSyntax.Format(this);

        /// <summary>The initializer of a layer's weight or bias (not counting <see cref="ZeroLastLayer"/>).</summary>
        /// <param name="layerName">Layer name, e.g. <c>conv2</c>.</param>
        /// <param name="role">Weight or bias.</param>
        /// <returns>The override for that layer, else the plan-wide initializer.</returns>
        public IWeightInitializer For(string layerName, ParameterRole role)
        {
            var overrides = role == ParameterRole.Weight ? WeightOverrides : BiasOverrides;
            return overrides.TryGetValue(layerName, out var initializer) ? initializer : role == ParameterRole.Weight ? Weight : Bias;
        }

        /// <summary>
        /// Checks the plan against a network: every override names one of its layers, no override targets the last
        /// layer when <see cref="ZeroLastLayer"/> is set, and no bias uses a data-dependent (weight-only) initializer.
        /// </summary>
        /// <param name="layerNames">The network's layer names, in order.</param>
        /// <exception cref="ArgumentException">The plan does not fit the network (the message lists the layers).</exception>
        public void Validate(IEnumerable<string> layerNames)
        {
            ArgumentNullException.ThrowIfNull(layerNames);
            var names = layerNames.ToList();
            foreach (var layer in WeightOverrides.Keys.Concat(BiasOverrides.Keys))
            {
                if (!names.Contains(layer))
                {
                    throw new ArgumentException(
                        $"Initializer override for unknown layer '{layer}'. Layers: {string.Join(", ", names)}.", nameof(layerNames));
                }
            }
            if (ZeroLastLayer && names.Count > 0 && (WeightOverrides.ContainsKey(names[^1]) || BiasOverrides.ContainsKey(names[^1])))
            {
                throw new ArgumentException(
                    $"The plan sets zero_last_layer=true and also overrides the last layer '{names[^1]}'; keep one of the two.", nameof(layerNames));
            }
            if (Rules.Count > 0)
            {
                throw new ArgumentException(
                    $"The plan has rule '{Rules[0].Target}', which applies to a TorchSharp module tree (InitializerPlan.Apply); " +
                    $"this network takes weight, bias, LAYER.weight, LAYER.bias and zero_last_layer. Layers: {string.Join(", ", names)}.", nameof(layerNames));
            }
            foreach (var bias in BiasOverrides.Values.Prepend(Bias))
            {
                if (bias is IDataDependentInitializer)
                {
                    throw new ArgumentException(
                        $"'{bias.TextForm}' is a weight initializer and cannot initialize a bias; use e.g. bias=zeros.", nameof(layerNames));
                }
            }
        }

        /// <summary>
        /// Initializes every parameter of a TorchSharp module tree by this plan: first every parameter gets PyTorch's
        /// default (<see cref="ModuleInitializer.ResetParameters"/>: what constructing the modules after
        /// <c>torch.manual_seed</c> draws), then, in the module's named_parameters order, every parameter whose rule
        /// (see the remarks for targets and precedence) is not <c>pytorch_default</c> is filled by that rule's
        /// initializer from the same generator, as <c>torch.nn.init.*_</c> calls after construction would.
        /// <see cref="ZeroLastLayer"/> zeros the parameters of the last module that owns parameters.
        /// </summary>
        /// <param name="module">The module tree.</param>
        /// <param name="generator">The CPU generator every draw comes from.</param>
        /// <param name="unknown">What to do with a parameter of an unsupported module type that no rule fills.</param>
        /// <returns>One record per parameter (named_parameters order): path, module type, shape, initializer text form,
        /// fan_in/fan_out used, and the target that chose it.</returns>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">A target matches no parameter (the message names it and lists the
        /// module types), two targets tie for a parameter, a rule uses a data-dependent initializer (LSUV), or an
        /// initializer rejects a parameter's shape (the message names the parameter's path and shape). The first three
        /// are found before anything is drawn.</exception>
        /// <exception cref="UnsupportedModuleException">A parameter of an unsupported module type has no rule.</exception>
        public IReadOnlyList<ParameterInitialization> Apply(torch.nn.Module module, torch.Generator generator,
            UnknownModuleHandling unknown = UnknownModuleHandling.Throw) => PlanApplication.Apply(this, module, generator, unknown);

        /// <summary>
        /// Reads a plan from its text form (see the remarks of <see cref="InitializerPlan"/>), e.g.
        /// <c>weight=xavier_uniform; bias=zeros; fc2.weight=normal(std=0.01)</c>.
        /// </summary>
        /// <param name="text">The text form (at most 16384 characters).</param>
        /// <returns>The plan.</returns>
        /// <exception cref="FormatException">The text is not a plan: an unknown target or initializer, a parameter
        /// that does not parse, a duplicate target; the message says which entry and lists what is valid.</exception>
        public static InitializerPlan Parse(string text) => InitializerPlanSyntax.Parse(text);

        /// <summary>Like <see cref="Parse"/>, without throwing.</summary>
        /// <param name="text">The text form.</param>
        /// <param name="plan">The plan, or null.</param>
        /// <param name="error">Why the text did not parse, or null.</param>
        /// <returns>Whether the text parsed.</returns>
        public static bool TryParse(string text, [NotNullWhen(true)] out InitializerPlan? plan, out string? error)
        {
            try
            {
                plan = Parse(text);
                error = null;
                return true;
            }
            catch (FormatException e)
            {
                plan = null;
                error = e.Message;
                return false;
            }
        }

        /// <summary>The canonical text form.</summary>
        /// <returns><see cref="TextForm"/>.</returns>
        public override string ToString() => TextForm;

        /// <summary>Value equality over the initializers, the overrides and <see cref="ZeroLastLayer"/>.</summary>
        /// <param name="other">The other plan.</param>
        /// <returns>Whether both plans fill every parameter the same way.</returns>
        public bool Equals(InitializerPlan? other) =>
            other is not null && Weight.Equals(other.Weight) && Bias.Equals(other.Bias) && ZeroLastLayer == other.ZeroLastLayer
            && SameOverrides(WeightOverrides, other.WeightOverrides) && SameOverrides(BiasOverrides, other.BiasOverrides)
            && Rules.Count == other.Rules.Count && Rules.All(r => other.Rules.Any(o => o.Target == r.Target && o.Initializer.Equals(r.Initializer)));

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Weight, Bias, WeightOverrides.Count, BiasOverrides.Count, ZeroLastLayer, Rules.Count);

        private static bool SameOverrides(IReadOnlyDictionary<string, IWeightInitializer> a, IReadOnlyDictionary<string, IWeightInitializer> b) =>
            a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
    }
}
