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
    /// <c>resnet(blocks, width)</c>: the stem (3×3 convolution C → width, zero padding 1) → ReLU → <c>blocks</c> basic
    /// residual blocks (<see cref="ResidualBlock"/>) in three stages of width, 2·width, 4·width channels (the stages
    /// differ in length by at most one, the first ones longer; a block that starts stage 2 or 3 max-pools its input
    /// 2×2 and projects its shortcut with a 1×1 convolution) → global average pooling → <c>fc</c>, a linear classifier
    /// (4·width → K) → log-softmax. PyTorch equivalent: modules <c>stem</c>, <c>blocks</c> (an <c>nn.ModuleList</c> of
    /// blocks with <c>conv1</c>, <c>conv2</c>, <c>shortcut</c>), <c>fc</c>, registered in that order.
    /// </summary>
    internal sealed class ResNetNetwork : ClassifierNetwork
    {
        /// <summary>Kernel size of the stem and of every block convolution (the shortcut projections are 1×1).</summary>
        public const int Kernel = 3;

        /// <summary>Zero padding of every 3×3 convolution, so that a stage keeps its image size.</summary>
        public const int Padding = 1;

        /// <summary>Name of the first convolution.</summary>
        public const string StemName = "stem";

        /// <summary>Name of the linear classifier.</summary>
        public const string ClassifierName = "fc";

#pragma warning disable IDE1006, SA1307 // Field names are the PyTorch module names (state_dict prefixes), in registration order.
        private readonly Conv2dLayer stem;
        private readonly ModuleList<ResidualBlock> blocks;
        private readonly LinearLayer fc;
#pragma warning restore IDE1006, SA1307
        private readonly NetworkArchitecture _architecture;

        public ResNetNetwork(NetworkArchitecture architecture, ImageShape shape, ConvolutionPath path)
            : base(nameof(ResNetNetwork))
        {
            _architecture = architecture;
            Shape = shape;
            var layout = Layout(architecture);
            stem = new Conv2dLayer(StemName, shape.Channels, architecture.Width, Kernel, path);
            blocks = new ModuleList<ResidualBlock>(layout.Select(spec => new ResidualBlock(spec, path)).ToArray());
            fc = new LinearLayer(ClassifierName, layout[^1].Out, shape.Classes);
            RegisterComponents();
        }

        public override ImageShape Shape { get; }

        public override NetworkArchitecture Architecture => _architecture;

        /// <summary>stem, then each block's conv1, conv2 (and shortcut), then fc: construction and state-dict order.</summary>
        internal override IReadOnlyList<IParameterizedLayer> Layers =>
            new IParameterizedLayer[] { stem }.Concat(blocks.SelectMany(b => b.Layers)).Append(fc).ToList();

        /// <summary>The residual blocks, in order.</summary>
        internal IReadOnlyList<ResidualBlock> Blocks => blocks.ToList();

        public override ConvolutionPath ConvolutionPath
        {
            get => stem.Path;
            set
            {
                foreach (var conv in Layers.OfType<Conv2dLayer>())
                {
                    conv.Path = value;
                }
            }
        }

        /// <summary>The blocks in order: index, input and output channels, whether the block starts a stage (2×2
        /// max-pool of its input and a 1×1 projection shortcut).</summary>
        internal static IReadOnlyList<BlockSpec> Layout(NetworkArchitecture a)
        {
            int count = a.Blocks;
            int stages = Math.Min(3, count);
            var result = new List<BlockSpec>();
            long channels = a.Width;
            for (int s = 0; s < stages; s++)
            {
                int length = count / stages + (s < count % stages ? 1 : 0);
                long width = (long)a.Width << s;
                for (int j = 0; j < length; j++)
                {
                    result.Add(new BlockSpec(result.Count, channels, width, Downsample: j == 0 && s > 0));
                    channels = width;
                }
            }
            return result;
        }

        /// <summary>The prefix of block <paramref name="index"/>: <c>blocks.{index}</c>.</summary>
        internal static string BlockName(int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"blocks.{index}");

        /// <summary>The parameterized layers' names in order (what plans address).</summary>
        internal static IReadOnlyList<string> LayerNames(NetworkArchitecture a) =>
            ParameterShapes(a, ImageShape.Mnist).Select(p => p.Name).Where(n => n.EndsWith(".weight", StringComparison.Ordinal))
                .Select(n => n[..^".weight".Length]).ToList();

        internal static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(NetworkArchitecture a, ImageShape shape)
        {
            var result = new List<(string, long[])>();
            void Conv(string name, long output, long input, long kernel)
            {
                result.Add((name + ".weight", new[] { output, input, kernel, kernel }));
                result.Add((name + ".bias", new[] { output }));
            }

            var layout = Layout(a);
            Conv(StemName, a.Width, shape.Channels, Kernel);
            foreach (var spec in layout)
            {
                string prefix = BlockName(spec.Index);
                Conv(prefix + ".conv1", spec.Out, spec.In, Kernel);
                Conv(prefix + ".conv2", spec.Out, spec.Out, Kernel);
                if (spec.Downsample)
                {
                    Conv(prefix + ".shortcut", spec.Out, spec.In, 1);
                }
            }
            result.Add((ClassifierName + ".weight", new[] { (long)shape.Classes, layout[^1].Out }));
            result.Add((ClassifierName + ".bias", new[] { (long)shape.Classes }));
            return result;
        }

        /// <summary>The forward pass before log-softmax as steps, for the ONNX export: a block keeps its (pooled) input
        /// under <c>blocks.{k}.input</c> and adds it back, or, with a projection, keeps the residual branch's output
        /// under <c>blocks.{k}.residual</c>, reloads the input, projects it and adds the residual.</summary>
        internal static IReadOnlyList<LayerStep> Steps(NetworkArchitecture a)
        {
            var steps = new List<LayerStep> { LayerStep.Conv(StemName, Kernel, Padding), LayerStep.Relu };
            foreach (var spec in Layout(a))
            {
                string prefix = BlockName(spec.Index);
                if (spec.Downsample)
                {
                    steps.Add(LayerStep.Pool(2));
                }
                steps.Add(LayerStep.Save(prefix + ".input"));
                steps.Add(LayerStep.Conv(prefix + ".conv1", Kernel, Padding));
                steps.Add(LayerStep.Relu);
                steps.Add(LayerStep.Conv(prefix + ".conv2", Kernel, Padding));
                if (spec.Downsample)
                {
                    steps.Add(LayerStep.Save(prefix + ".residual"));
                    steps.Add(LayerStep.Load(prefix + ".input"));
                    steps.Add(LayerStep.Conv(prefix + ".shortcut", 1));
                    steps.Add(LayerStep.Add(prefix + ".residual"));
                }
                else
                {
                    steps.Add(LayerStep.Add(prefix + ".input"));
                }
                steps.Add(LayerStep.Relu);
            }
            steps.Add(LayerStep.GlobalAveragePool);
            steps.Add(LayerStep.Flatten);
            steps.Add(LayerStep.Linear(ClassifierName));
            return steps;
        }

        /// <summary>The distinct convolution shapes on <paramref name="shape"/>'s images, by kernel size, for the float64
        /// check of the convolution path (batch 8; the input side of a 3×3 convolution includes the zero padding).</summary>
        internal static IReadOnlyList<(IReadOnlyList<(long Batch, long In, long Out, long Size)> Shapes, long Kernel)> CheckShapes(NetworkArchitecture a, ImageShape shape)
        {
            long side = Math.Min(shape.Height, shape.Width);
            var square = new List<(long, long, long, long)> { (8, shape.Channels, a.Width, side + 2 * Padding) };
            var projections = new List<(long, long, long, long)>();
            foreach (var spec in Layout(a))
            {
                if (spec.Downsample)
                {
                    side /= 2;
                    projections.Add((8, spec.In, spec.Out, side));
                }
                square.Add((8, spec.In, spec.Out, side + 2 * Padding));
                square.Add((8, spec.Out, spec.Out, side + 2 * Padding));
            }
            var groups = new List<(IReadOnlyList<(long, long, long, long)>, long)> { (square.Distinct().ToList(), Kernel) };
            if (projections.Count > 0)
            {
                groups.Add((projections.Distinct().ToList(), 1));
            }
            return groups;
        }

        /// <summary>Zero padding of <see cref="Padding"/> pixels on every side (the 3×3 convolutions are unpadded kernels).</summary>
        internal static Tensor Pad(Tensor x) => F.pad(x, new long[] { Padding, Padding, Padding, Padding });

        /// <summary>ReLU(stem(x)): the first block's input.</summary>
        internal Tensor Stem(Tensor input) => F.relu(stem.forward(Pad(input)));

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var outputs = Run(input, collect: false);
            return outputs[^1].MoveToOuterDisposeScope();
        }

        internal override IReadOnlyList<Tensor> ForwardWithLayerOutputs(Tensor input) => Run(input, collect: true);

        /// <summary>The forward pass; with <paramref name="collect"/>, the output of every layer of <see cref="Layers"/>
        /// (a convolution's before the ReLU or the addition) precedes the log-probabilities.</summary>
        private List<Tensor> Run(Tensor input, bool collect)
        {
            var outputs = new List<Tensor>();
            var h = stem.forward(Pad(input));
            if (collect)
            {
                outputs.Add(h);
            }
            var x = F.relu(h);
            foreach (var block in blocks)
            {
                x = block.Run(x, collect ? outputs : null);
            }
            x = fc.forward(x.mean(new long[] { 2, 3 }));
            if (collect)
            {
                outputs.Add(x);
            }
            outputs.Add(F.log_softmax(x, 1));
            return outputs;
        }

        /// <summary>One residual block of the layout.</summary>
        /// <param name="Index">k in <c>blocks.{k}</c>.</param>
        /// <param name="In">Input channels.</param>
        /// <param name="Out">Output channels.</param>
        /// <param name="Downsample">Whether the block starts stage 2 or 3: 2×2 max-pool of its input, 1×1 projection shortcut.</param>
        internal sealed record BlockSpec(int Index, long In, long Out, bool Downsample);
    }
}
