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
    /// <c>resnet(blocks, width, batch_norm)</c>: the stem (3×3 convolution C → width, zero padding 1) [→ stem_bn] → ReLU → <c>blocks</c> basic
    /// residual blocks (<see cref="ResidualBlock"/>) in three stages of width, 2·width, 4·width channels (the stages
    /// differ in length by at most one, the first ones longer; a block that starts stage 2 or 3 max-pools its input
    /// 2×2 and projects its shortcut with a 1×1 convolution) → global average pooling → <c>fc</c>, a linear classifier
    /// (4·width → K) → log-softmax. With batch_norm every convolution is followed by a <see cref="BatchNorm2dLayer"/>
    /// (the convolutions keep their bias, as PyTorch's <c>nn.Conv2d</c> does by default). PyTorch equivalent: modules
    /// <c>stem</c>, [<c>stem_bn</c>,] <c>blocks</c> (an <c>nn.ModuleList</c> of blocks with <c>conv1</c>, [<c>bn1</c>,]
    /// <c>conv2</c>, [<c>bn2</c>,] <c>shortcut</c>[, <c>shortcut_bn</c>]), <c>fc</c>, registered in that order.
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

        /// <summary>Name of the stem's batch normalization (batch_norm only).</summary>
        public const string StemNormName = "stem_bn";

#pragma warning disable IDE1006, SA1307 // Field names are the PyTorch module names (state_dict prefixes), in registration order.
        private readonly Conv2dLayer stem;
        private readonly BatchNorm2dLayer? stem_bn;
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
            stem_bn = architecture.BatchNorm ? new BatchNorm2dLayer(StemNormName, architecture.Width) : null;
            blocks = new ModuleList<ResidualBlock>(layout.Select(spec => new ResidualBlock(spec, architecture.BatchNorm, path)).ToArray());
            fc = new LinearLayer(ClassifierName, layout[^1].Out, shape.Classes);
            RegisterComponents();
        }

        public override ImageShape Shape { get; }

        public override NetworkArchitecture Architecture => _architecture;

        /// <summary>stem, then each block's conv1, conv2 (and shortcut), then fc: construction and state-dict order.</summary>
        internal override IReadOnlyList<IParameterizedLayer> Layers =>
            new IParameterizedLayer[] { stem }.Concat(blocks.SelectMany(b => b.Layers)).Append(fc).ToList();

        /// <summary>stem_bn, then each block's bn1, bn2 (and shortcut_bn); empty without batch_norm.</summary>
        internal override IReadOnlyList<BatchNorm2dLayer> Norms =>
            (stem_bn is null ? Array.Empty<BatchNorm2dLayer>() : new[] { stem_bn }).Concat(blocks.SelectMany(b => b.Norms)).ToList();

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
            var result = new List<BlockSpec>();
            long channels = a.Width;
            foreach (var (s, length, width) in Stages.Split(a.Blocks, a.Width))
            {
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
            new[] { StemName }
                .Concat(Layout(a).SelectMany(spec => new[] { ".conv1", ".conv2" }.Concat(spec.Downsample ? new[] { ".shortcut" } : Array.Empty<string>())
                    .Select(layer => BlockName(spec.Index) + layer)))
                .Append(ClassifierName).ToList();

        /// <summary>The state dict's names and shapes in its order (TorchSharp's: every parameter in module order, then
        /// every buffer): stem, [stem_bn,] each block's conv1, [bn1,] conv2, [bn2,] shortcut[, shortcut_bn], fc; then,
        /// with batch_norm, the running statistics of the normalizations in the same order.</summary>
        internal static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(NetworkArchitecture a, ImageShape shape)
        {
            var result = new List<(string, long[])>();
            var norms = new List<(string Name, long Channels)>();
            void Conv(string name, long output, long input, long kernel, string? norm)
            {
                result.Add((name + ".weight", new[] { output, input, kernel, kernel }));
                result.Add((name + ".bias", new[] { output }));
                if (a.BatchNorm && norm is not null)
                {
                    result.AddRange(BatchNorm2dLayer.ParameterShapes(norm, output));
                    norms.Add((norm, output));
                }
            }

            var layout = Layout(a);
            Conv(StemName, a.Width, shape.Channels, Kernel, StemNormName);
            foreach (var spec in layout)
            {
                string prefix = BlockName(spec.Index);
                Conv(prefix + ".conv1", spec.Out, spec.In, Kernel, prefix + ".bn1");
                Conv(prefix + ".conv2", spec.Out, spec.Out, Kernel, prefix + ".bn2");
                if (spec.Downsample)
                {
                    Conv(prefix + ".shortcut", spec.Out, spec.In, 1, prefix + ".shortcut_bn");
                }
            }
            result.Add((ClassifierName + ".weight", new[] { (long)shape.Classes, layout[^1].Out }));
            result.Add((ClassifierName + ".bias", new[] { (long)shape.Classes }));
            result.AddRange(norms.SelectMany(n => BatchNorm2dLayer.BufferShapes(n.Name, n.Channels)));
            return result;
        }

        /// <summary>The forward pass before log-softmax as steps, for the ONNX export: a block keeps its (pooled) input
        /// under <c>blocks.{k}.input</c> and adds it back, or, with a projection, keeps the residual branch's output
        /// under <c>blocks.{k}.residual</c>, reloads the input, projects it and adds the residual.</summary>
        internal static IReadOnlyList<LayerStep> Steps(NetworkArchitecture a)
        {
            var steps = new List<LayerStep>();
            void Conv(string name, int kernel, int padding, string norm)
            {
                steps.Add(LayerStep.Conv(name, kernel, padding));
                if (a.BatchNorm)
                {
                    steps.Add(LayerStep.BatchNorm(norm));
                }
            }

            Conv(StemName, Kernel, Padding, StemNormName);
            steps.Add(LayerStep.Relu);
            foreach (var spec in Layout(a))
            {
                string prefix = BlockName(spec.Index);
                if (spec.Downsample)
                {
                    steps.Add(LayerStep.Pool(2));
                }
                steps.Add(LayerStep.Save(prefix + ".input"));
                Conv(prefix + ".conv1", Kernel, Padding, prefix + ".bn1");
                steps.Add(LayerStep.Relu);
                Conv(prefix + ".conv2", Kernel, Padding, prefix + ".bn2");
                if (spec.Downsample)
                {
                    steps.Add(LayerStep.Save(prefix + ".residual"));
                    steps.Add(LayerStep.Load(prefix + ".input"));
                    Conv(prefix + ".shortcut", 1, 0, prefix + ".shortcut_bn");
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

        /// <summary>ReLU(stem_bn(stem(x))): the first block's input (a batch normalization in train mode leaves its running
        /// statistics as they are).</summary>
        internal Tensor Stem(Tensor input)
        {
            var h = stem.forward(Pad(input));
            return F.relu(stem_bn is null ? h : stem_bn.Normalize(h, trackRunningStats: false));
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var outputs = Run(input, collect: false);
            return outputs[^1].MoveToOuterDisposeScope();
        }

        internal override IReadOnlyList<Tensor> ForwardWithLayerOutputs(Tensor input) => Run(input, collect: true);

        /// <summary>The forward pass; with <paramref name="collect"/>, the output of every layer of <see cref="Layers"/>
        /// (a convolution's before its batch normalization, the ReLU or the addition) precedes the log-probabilities, and
        /// batch normalization leaves its running statistics as they are.</summary>
        private List<Tensor> Run(Tensor input, bool collect)
        {
            var outputs = new List<Tensor>();
            var h = stem.forward(Pad(input));
            if (collect)
            {
                outputs.Add(h);
            }
            var x = F.relu(stem_bn is null ? h : stem_bn.Normalize(h, trackRunningStats: !collect));
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
