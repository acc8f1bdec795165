using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// <c>mlp(depth, width, activation)</c>: flatten → layers.0 (C·H·W → width) → act → … → layers.{depth−2}
    /// (width → width) → act → layers.{depth−1} (width → K) → log-softmax. PyTorch equivalent: an
    /// <c>nn.Sequential</c> of <c>nn.Linear</c> layers and activations (state-dict keys <c>layers.i.weight</c>).
    /// </summary>
    internal sealed class MlpNetwork : ClassifierNetwork
    {
#pragma warning disable IDE1006, SA1307 // The field name is the PyTorch module name (state_dict prefix "layers").
        private readonly ModuleList<LinearLayer> layers;
#pragma warning restore IDE1006, SA1307
        private readonly NetworkArchitecture _architecture;
        private ConvolutionPath _path;

        public MlpNetwork(NetworkArchitecture architecture, ImageShape shape)
            : base(nameof(MlpNetwork))
        {
            _architecture = architecture;
            Shape = shape;
            layers = new ModuleList<LinearLayer>(ParameterShapes(architecture, shape)
                .Where(p => p.Name.EndsWith(".weight", StringComparison.Ordinal))
                .Select(p => new LinearLayer(p.Name[..^".weight".Length], p.Shape[1], p.Shape[0])).ToArray());
            RegisterComponents();
        }

        public override ImageShape Shape { get; }

        public override NetworkArchitecture Architecture => _architecture;

        internal override IReadOnlyList<IParameterizedLayer> Layers => layers.Cast<IParameterizedLayer>().ToList();

        /// <summary>Kept but unused: the MLP has no convolution.</summary>
        public override ConvolutionPath ConvolutionPath
        {
            get => _path;
            set => _path = value;
        }

        internal static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(NetworkArchitecture a, ImageShape shape)
        {
            var result = new List<(string, long[])>();
            for (int i = 0; i < a.Depth; i++)
            {
                long input = i == 0 ? shape.FeatureCount : a.Width;
                long output = i == a.Depth - 1 ? shape.Classes : a.Width;
                string name = NetworkArchitecture.LayerName(i);
                result.Add((name + ".weight", new[] { output, input }));
                result.Add((name + ".bias", new[] { output }));
            }
            return result;
        }

        internal static IReadOnlyList<LayerStep> Steps(NetworkArchitecture a)
        {
            var steps = new List<LayerStep> { LayerStep.Flatten };
            for (int i = 0; i < a.Depth; i++)
            {
                steps.Add(LayerStep.Linear(NetworkArchitecture.LayerName(i)));
                if (i < a.Depth - 1 && LayerStep.Of(a.Activation) is { } activation)
                {
                    steps.Add(activation);
                }
            }
            return steps;
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = input.reshape(input.shape[0], -1);
            for (int i = 0; i < layers.Count; i++)
            {
                x = layers[i].forward(x);
                if (i < layers.Count - 1)
                {
                    x = NetworkActivations.Apply(_architecture.Activation, x);
                }
            }
            return F.log_softmax(x, 1).MoveToOuterDisposeScope();
        }

        internal override IReadOnlyList<Tensor> ForwardWithLayerOutputs(Tensor input)
        {
            var outputs = new List<Tensor>();
            var x = input.reshape(input.shape[0], -1);
            for (int i = 0; i < layers.Count; i++)
            {
                x = layers[i].forward(x);
                outputs.Add(x);
                if (i < layers.Count - 1)
                {
                    x = NetworkActivations.Apply(_architecture.Activation, x);
                }
            }
            outputs.Add(F.log_softmax(x, 1));
            return outputs;
        }
    }
}
