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
    /// <c>plain_cnn(depth, width, activation, batch_norm)</c>: depth − 1 3×3 convolutions (zero padding 1, on the
    /// verified <see cref="ConvolutionPath"/>) in three stages of width, 2·width, 4·width channels, each followed by
    /// (with batch_norm) a <see cref="BatchNorm2dLayer"/> <c>norms.i</c>, then the activation, 2×2 max-pooling between
    /// stages, global average pooling, then layers.{depth−1}: a linear classifier (4·width → K) and log-softmax. The
    /// layout is in <see cref="Layout"/>. With batch_norm the convolutions keep their bias, as PyTorch's
    /// <c>nn.Conv2d</c> does by default (batch normalization then cancels it in train mode; it is still a parameter
    /// that plans initialize and the optimizer updates).
    /// </summary>
    internal sealed class PlainCnnNetwork : ClassifierNetwork
    {
        /// <summary>Kernel size of every convolution.</summary>
        public const int Kernel = 3;

        /// <summary>Zero padding of every convolution, so that a stage keeps its image size.</summary>
        public const int Padding = 1;

#pragma warning disable IDE1006, SA1307 // The field names are the PyTorch module names (state_dict prefixes "layers", "norms").
        private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;

        // Declared after layers: the state dict lists layers' parameters, then these (null without batch_norm, and then
        // not registered: the network's state is that of the release without batch normalization).
        private readonly ModuleList<BatchNorm2dLayer>? norms;
#pragma warning restore IDE1006, SA1307
        private readonly NetworkArchitecture _architecture;
        private readonly IReadOnlyList<ConvSpec> _convolutions;

        public PlainCnnNetwork(NetworkArchitecture architecture, ImageShape shape, ConvolutionPath path)
            : base(nameof(PlainCnnNetwork))
        {
            _architecture = architecture;
            Shape = shape;
            _convolutions = Layout(architecture, shape);
            var modules = new List<nn.Module<Tensor, Tensor>>();
            foreach (var spec in _convolutions)
            {
                modules.Add(new Conv2dLayer(NetworkArchitecture.LayerName(spec.Index), spec.In, spec.Out, Kernel, path));
            }
            modules.Add(new LinearLayer(NetworkArchitecture.LayerName(_convolutions.Count), _convolutions[^1].Out, shape.Classes));
            layers = new ModuleList<nn.Module<Tensor, Tensor>>(modules.ToArray());
            if (architecture.BatchNorm)
            {
                norms = new ModuleList<BatchNorm2dLayer>(_convolutions.Select(spec => new BatchNorm2dLayer(NormName(spec.Index), spec.Out)).ToArray());
            }
            RegisterComponents();
        }

        public override ImageShape Shape { get; }

        public override NetworkArchitecture Architecture => _architecture;

        internal override IReadOnlyList<IParameterizedLayer> Layers => layers.Cast<IParameterizedLayer>().ToList();

        internal override IReadOnlyList<BatchNorm2dLayer> Norms => norms?.ToList() ?? (IReadOnlyList<BatchNorm2dLayer>)Array.Empty<BatchNorm2dLayer>();

        /// <summary>The convolutions, in order (the fields are the registered modules only).</summary>
        private IEnumerable<Conv2dLayer> Convolutions => layers.Take(_convolutions.Count).Cast<Conv2dLayer>();

        private LinearLayer Classifier => (LinearLayer)layers[_convolutions.Count];

        public override ConvolutionPath ConvolutionPath
        {
            get => Convolutions.First().Path;
            set
            {
                foreach (var conv in Convolutions)
                {
                    conv.Path = value;
                }
            }
        }

        /// <summary>The name of the batch normalization after convolution <paramref name="index"/>: <c>norms.{index}</c>.</summary>
        internal static string NormName(int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"norms.{index}");

        /// <summary>The convolutions in order: index, input and output channels, whether a 2×2 max-pool follows.</summary>
        internal static IReadOnlyList<ConvSpec> Layout(NetworkArchitecture a, ImageShape shape)
        {
            var result = new List<ConvSpec>();
            var stages = Stages.Split(a.Depth - 1, a.Width).ToList();
            long channels = shape.Channels;
            foreach (var (s, length, width) in stages)
            {
                for (int j = 0; j < length; j++)
                {
                    bool poolAfter = j == length - 1 && s < stages.Count - 1;
                    result.Add(new ConvSpec(result.Count, channels, width, poolAfter));
                    channels = width;
                }
            }
            return result;
        }

        /// <summary>The state dict's names and shapes in its order (TorchSharp's: every parameter, then every buffer):
        /// <c>layers.i.weight</c>, <c>layers.i.bias</c> for every layer; with batch_norm then <c>norms.i.weight</c>,
        /// <c>norms.i.bias</c> for every convolution, then their buffers <c>norms.i.running_mean</c>,
        /// <c>norms.i.running_var</c>, <c>norms.i.num_batches_tracked</c>.</summary>
        internal static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(NetworkArchitecture a, ImageShape shape)
        {
            var result = new List<(string, long[])>();
            var convolutions = Layout(a, shape);
            foreach (var spec in convolutions)
            {
                string name = NetworkArchitecture.LayerName(spec.Index);
                result.Add((name + ".weight", new[] { spec.Out, spec.In, Kernel, Kernel }));
                result.Add((name + ".bias", new[] { spec.Out }));
            }
            string classifier = NetworkArchitecture.LayerName(convolutions.Count);
            result.Add((classifier + ".weight", new[] { (long)shape.Classes, convolutions[^1].Out }));
            result.Add((classifier + ".bias", new[] { (long)shape.Classes }));
            if (a.BatchNorm)
            {
                result.AddRange(convolutions.SelectMany(spec => BatchNorm2dLayer.ParameterShapes(NormName(spec.Index), spec.Out)));
                result.AddRange(convolutions.SelectMany(spec => BatchNorm2dLayer.BufferShapes(NormName(spec.Index), spec.Out)));
            }
            return result;
        }

        internal static IReadOnlyList<LayerStep> Steps(NetworkArchitecture a, ImageShape shape)
        {
            var steps = new List<LayerStep>();
            var convolutions = Layout(a, shape);
            foreach (var spec in convolutions)
            {
                steps.Add(LayerStep.Conv(NetworkArchitecture.LayerName(spec.Index), Kernel, Padding));
                if (a.BatchNorm)
                {
                    steps.Add(LayerStep.BatchNorm(NormName(spec.Index)));
                }
                if (LayerStep.Of(a.Activation) is { } activation)
                {
                    steps.Add(activation);
                }
                if (spec.PoolAfter)
                {
                    steps.Add(LayerStep.Pool(2));
                }
            }
            steps.Add(LayerStep.GlobalAveragePool);
            steps.Add(LayerStep.Flatten);
            steps.Add(LayerStep.Linear(NetworkArchitecture.LayerName(convolutions.Count)));
            return steps;
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var outputs = Run(input, collect: false);
            return outputs[^1].MoveToOuterDisposeScope();
        }

        internal override IReadOnlyList<Tensor> ForwardWithLayerOutputs(Tensor input) => Run(input, collect: true);

        /// <summary>The forward pass; with <paramref name="collect"/>, every layer's output before its batch
        /// normalization and activation precedes the log-probabilities, and batch normalization leaves its running
        /// statistics as they are.</summary>
        private List<Tensor> Run(Tensor input, bool collect)
        {
            var outputs = new List<Tensor>();
            var x = input;
            for (int i = 0; i < _convolutions.Count; i++)
            {
                x = layers[i].forward(F.pad(x, new long[] { Padding, Padding, Padding, Padding }));
                if (collect)
                {
                    outputs.Add(x);
                }
                if (norms is not null)
                {
                    x = norms[i].Normalize(x, trackRunningStats: !collect);
                }
                x = NetworkActivations.Apply(_architecture.Activation, x);
                if (_convolutions[i].PoolAfter)
                {
                    x = F.max_pool2d(x, 2, 2);
                }
            }
            x = x.mean(new long[] { 2, 3 });
            x = Classifier.forward(x);
            if (collect)
            {
                outputs.Add(x);
            }
            outputs.Add(F.log_softmax(x, 1));
            return outputs;
        }

        /// <summary>The distinct convolution shapes of the layout on <paramref name="shape"/>'s images, for the float64
        /// check of the convolution path (batch 8; the input side includes the zero padding).</summary>
        internal static IReadOnlyList<(long Batch, long In, long Out, long Size)> CheckShapes(NetworkArchitecture a, ImageShape shape)
        {
            var result = new List<(long, long, long, long)>();
            long side = Math.Min(shape.Height, shape.Width);
            foreach (var spec in Layout(a, shape))
            {
                result.Add((8, spec.In, spec.Out, side + 2 * Padding));
                if (spec.PoolAfter)
                {
                    side /= 2;
                }
            }
            return result.Distinct().ToList();
        }

        /// <summary>One convolution of the layout.</summary>
        internal sealed record ConvSpec(int Index, long In, long Out, bool PoolAfter);
    }
}
