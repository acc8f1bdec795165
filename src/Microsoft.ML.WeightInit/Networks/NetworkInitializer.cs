using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Initializes a network's layers the way the PyTorch protocol does: constructing the PyTorch modules draws
    /// their default reset (weight, then bias, layer by layer), then the chosen initializers redraw what they replace,
    /// layer by layer (weight, then bias). A parameter whose initializer is <see cref="PyTorchDefaultInitializer"/>
    /// keeps its construction-time values, so with the same seed the weights equal PyTorch's bit for bit. Then, with
    /// <see cref="InitializerPlan.ZeroLastLayer"/>, the last layer's weight and bias are zeros (no draws). A network's
    /// batch normalizations (<see cref="ClassifierNetwork.Norms"/>) then get PyTorch's reset (weight 1, bias 0,
    /// running statistics 0 / 1, no draws) and, norm by norm (weight, then bias), the initializer of an exact, glob or
    /// type rule that names the parameter (<c>norms.3.weight=…</c>, <c>norms.*.bias=…</c>, <c>BatchNorm2d.weight=…</c>);
    /// the plan-wide <c>weight</c>/<c>bias</c> do not apply to them. Finally, layer by layer, every weight whose
    /// initializer is an <see cref="IDataDependentInitializer"/> (LSUV) is calibrated on a batch (batch normalization
    /// in train mode normalizes with the batch's statistics and keeps its running statistics at the reset).
    /// </summary>
    internal static class NetworkInitializer
    {
        /// <summary>Initializes every layer's weight and bias in place (plans without data-dependent initializers).</summary>
        /// <param name="layers">Layers in construction order.</param>
        /// <param name="generator">Generator every draw comes from (seed it for reproducible weights).</param>
        /// <param name="plan">Which initializer fills each (layer, weight/bias).</param>
        /// <exception cref="ArgumentException">An initializer rejects a parameter's shape, the plan does not fit the
        /// layers (<see cref="InitializerPlan.Validate"/>), or the plan needs a calibration batch (LSUV): use
        /// <see cref="Initialize(ClassifierNetwork, torch.Generator, InitializerPlan, torch.Tensor?)"/>.</exception>
        public static void Initialize(IReadOnlyList<IParameterizedLayer> layers, torch.Generator generator, InitializerPlan plan) =>
            Initialize(layers, generator, plan, layerOutputs: null);

        /// <summary>
        /// Initializes a network (the seed's <see cref="MnistCnn"/> or any <see cref="NetworkArchitecture"/>), calibrating
        /// data-dependent initializers (LSUV) on <paramref name="calibrationImages"/> through
        /// <see cref="ClassifierNetwork.ForwardWithLayerOutputs"/>.
        /// Its batch normalizations, if any, are initialized too (the list overloads see the given layers only).
        /// </summary>
        /// <param name="network">The network.</param>
        /// <param name="generator">Generator every draw comes from.</param>
        /// <param name="plan">Which initializer fills each parameter.</param>
        /// <param name="calibrationImages">A batch of normalized images, N × C × H × W (e.g. the first training batch),
        /// or null when the plan has no data-dependent initializer. Not modified; the forward passes run without
        /// gradient.</param>
        /// <returns>One entry per calibrated layer (empty when none).</returns>
        /// <exception cref="ArgumentException">As <see cref="Initialize(IReadOnlyList{IParameterizedLayer}, torch.Generator, InitializerPlan)"/>;
        /// also when the plan needs a calibration batch and none is given.</exception>
        /// <exception cref="InvalidOperationException">A layer cannot be calibrated (its output has zero variance).</exception>
        public static IReadOnlyList<LayerCalibration> Initialize(ClassifierNetwork network, torch.Generator generator, InitializerPlan plan, torch.Tensor? calibrationImages)
        {
            ArgumentNullException.ThrowIfNull(network);
            Func<IReadOnlyList<torch.Tensor>>? outputs = calibrationImages is null ? null : () => network.ForwardWithLayerOutputs(calibrationImages);
            return Initialize(network.Layers, network.Norms, generator, plan, outputs);
        }

        /// <summary>Initializes every layer's weight and bias in place, calibrating data-dependent initializers.</summary>
        /// <param name="layers">Layers in construction order.</param>
        /// <param name="generator">Generator every draw comes from.</param>
        /// <param name="plan">Which initializer fills each parameter.</param>
        /// <param name="layerOutputs">Runs the network on a calibration batch and returns the output of every layer,
        /// in the order of <paramref name="layers"/> (further outputs are ignored), or null when the plan has no
        /// data-dependent initializer. Called under no-grad inside a dispose scope: the tensors it creates are
        /// disposed after use.</param>
        /// <returns>One entry per calibrated layer (empty when none).</returns>
        /// <exception cref="ArgumentException">As the three-argument overload; also when the plan needs
        /// <paramref name="layerOutputs"/> and it is null.</exception>
        /// <exception cref="InvalidOperationException">A layer cannot be calibrated.</exception>
        public static IReadOnlyList<LayerCalibration> Initialize(IReadOnlyList<IParameterizedLayer> layers, torch.Generator generator,
            InitializerPlan plan, Func<IReadOnlyList<torch.Tensor>>? layerOutputs) =>
            Initialize(layers, Array.Empty<BatchNorm2dLayer>(), generator, plan, layerOutputs);

        private static IReadOnlyList<LayerCalibration> Initialize(IReadOnlyList<IParameterizedLayer> layers, IReadOnlyList<BatchNorm2dLayer> norms,
            torch.Generator generator, InitializerPlan plan, Func<IReadOnlyList<torch.Tensor>>? layerOutputs)
        {
            ArgumentNullException.ThrowIfNull(layers);
            ArgumentNullException.ThrowIfNull(generator);
            ArgumentNullException.ThrowIfNull(plan);
            // Module-tree rules (layers.3.weight, layers.*.bias, Linear.weight) resolve on the layers as on a module
            // tree; the rest of the plan is checked as before.
            (plan.Rules.Count == 0 ? plan : plan with { Rules = Array.Empty<Modules.InitializerRule>() }).Validate(layers.Select(l => l.LayerName));
            LayerRules.Check(plan, layers, norms);
            for (int i = 0; i < layers.Count; i++)
            {
                if (Effective(plan, layers, i, ParameterRole.Bias) is IDataDependentInitializer bias)
                {
                    throw new ArgumentException(
                        $"'{bias.TextForm}' is a weight initializer and cannot initialize a bias ('{layers[i].LayerName}.bias'); use e.g. bias=zeros.", nameof(plan));
                }
            }
            var calibrated = Enumerable.Range(0, layers.Count)
                .Where(i => Effective(plan, layers, i, ParameterRole.Weight) is IDataDependentInitializer)
                .ToList();
            if (calibrated.Count > 0 && layerOutputs is null)
            {
                var first = layers[calibrated[0]];
                throw new ArgumentException(
                    $"'{first.LayerName}.weight' uses '{Effective(plan, layers, calibrated[0], ParameterRole.Weight).TextForm}', which needs a calibration batch: " +
                    "call NetworkInitializer.Initialize(network, generator, plan, calibrationImages).", nameof(layerOutputs));
            }
            // Batch normalizations: a rule that names the parameter, else PyTorch's reset (weight 1, bias 0). The
            // plan-wide weight/bias are for the Conv2d and Linear layers: most schemes (xavier, kaiming, orthogonal)
            // are undefined on a 1-D tensor, and PyTorch users leave batch normalization at its reset.
            var normRules = norms
                .Select(n => (Norm: n, Weight: LayerRules.ResolveNorm(plan, n, ParameterRole.Weight), Bias: LayerRules.ResolveNorm(plan, n, ParameterRole.Bias)))
                .ToList();
            foreach (var (norm, weight, bias) in normRules)
            {
                if ((weight as IDataDependentInitializer ?? bias as IDataDependentInitializer) is { } dataDependent)
                {
                    throw new ArgumentException(
                        $"'{dataDependent.TextForm}' calibrates Conv2d and Linear weights and cannot initialize '{norm.LayerName}' (BatchNorm2d); " +
                        "leave batch normalization at its reset or use e.g. constant(val=1).", nameof(plan));
                }
            }

            var reset = new PyTorchDefaultInitializer();
            foreach (var layer in layers)
            {
                Fill(layer, ParameterRole.Weight, reset, generator);
                Fill(layer, ParameterRole.Bias, reset, generator);
            }
            for (int i = 0; i < layers.Count; i++)
            {
                foreach (var role in new[] { ParameterRole.Weight, ParameterRole.Bias })
                {
                    var initializer = Effective(plan, layers, i, role);
                    if (initializer is not PyTorchDefaultInitializer)
                    {
                        Fill(layers[i], role, initializer, generator);
                    }
                }
            }
            // After every Conv2d/Linear draw: the order of PyTorch's named_parameters (layers.*, then norms.*).
            foreach (var (norm, weight, bias) in normRules)
            {
                norm.Reset();
                if (weight is not null and not PyTorchDefaultInitializer)
                {
                    Fill(norm, ParameterRole.Weight, weight, generator);
                }
                if (bias is not null and not PyTorchDefaultInitializer)
                {
                    Fill(norm, ParameterRole.Bias, bias, generator);
                }
            }

            var results = new List<LayerCalibration>();
            foreach (int i in calibrated)
            {
                var layer = layers[i];
                var initializer = (IDataDependentInitializer)Effective(plan, layers, i, ParameterRole.Weight);
                var context = new WeightInitContext(generator, layer.LayerName, ParameterRole.Weight, layer.Weight.shape);
                results.Add(initializer.Calibrate(layer.Weight, context, () => Output(layerOutputs!, i, layer.LayerName)));
            }
            return results;
        }

        /// <summary>The initializer that fills a parameter, with <see cref="InitializerPlan.ZeroLastLayer"/> applied.</summary>
        /// <param name="plan">The plan.</param>
        /// <param name="layers">The network's layers in order.</param>
        /// <param name="index">Index of the layer.</param>
        /// <param name="role">Weight or bias.</param>
        /// <returns>The initializer.</returns>
        public static IWeightInitializer Effective(InitializerPlan plan, IReadOnlyList<IParameterizedLayer> layers, int index, ParameterRole role)
        {
            ArgumentNullException.ThrowIfNull(plan);
            ArgumentNullException.ThrowIfNull(layers);
            return plan.ZeroLastLayer && index == layers.Count - 1
                ? new ZerosInitializer()
                : LayerRules.Resolve(plan, layers[index], role);
        }

        private static torch.Tensor Output(Func<IReadOnlyList<torch.Tensor>> layerOutputs, int index, string layerName)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var outputs = layerOutputs();
            if (outputs is null || outputs.Count <= index)
            {
                throw new InvalidOperationException(
                    $"The calibration delegate returned {outputs?.Count ?? 0} outputs; layer '{layerName}' is number {index + 1}.");
            }
            return outputs[index].detach().MoveToOuterDisposeScope();
        }

        private static void Fill(IParameterizedLayer layer, ParameterRole role, IWeightInitializer initializer, torch.Generator generator)
        {
            var tensor = role == ParameterRole.Weight ? layer.Weight : layer.Bias;
            var context = new WeightInitContext(generator, layer.LayerName, role, layer.Weight.shape);
            initializer.Initialize(tensor, context);
        }
    }
}
