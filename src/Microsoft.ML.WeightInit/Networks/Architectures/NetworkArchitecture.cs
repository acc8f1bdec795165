using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Which network the InitCnn trainer builds: the seed article's net (the default) or a deep architecture where the
    /// initialization decides whether the network trains at all (He et al. 2015, Saxe et al. 2014, Mishkin &amp; Matas
    /// 2016). Every architecture maps N × C × H × W images to K log-probabilities, runs its convolutions on the
    /// verified <see cref="ConvolutionPath"/>, and is exported to ONNX with the model.
    /// </summary>
    /// <remarks>
    /// <para>Text forms (<see cref="TextForm"/>, read back by <see cref="Parse"/>; parameters may be omitted or given
    /// in any order, the canonical form lists them all):</para>
    /// <list type="bullet">
    /// <item><c>mnist_net</c>: <see cref="MnistCnn"/>; layers <c>conv1</c>, <c>conv2</c>, <c>fc1</c>, <c>fc2</c>.</item>
    /// <item><c>mlp(depth=30, width=256, activation=relu)</c>: the flattened image (C·H·W values) through
    /// <c>depth</c> fully connected layers, <c>depth − 1</c> of <c>width</c> units each followed by the activation,
    /// the last one to the K classes; layers <c>layers.0</c> … <c>layers.{depth−1}</c> (type <c>Linear</c>).</item>
    /// <item><c>plain_cnn(depth=20, width=32, activation=relu, batch_norm=false)</c>: <c>depth − 1</c> 3×3
    /// convolutions (zero padding 1, stride 1), each followed by the activation, in three stages of
    /// <c>width</c>, 2·<c>width</c> and 4·<c>width</c> channels (the first convolution of a stage changes the width;
    /// the stages differ in length by at most one, the first ones longer), 2×2 max-pooling after the first and the
    /// second stage, global average pooling, and a linear classifier (4·<c>width</c> → K); layers <c>layers.0</c> …
    /// <c>layers.{depth−2}</c> (type <c>Conv2d</c>) and <c>layers.{depth−1}</c> (type <c>Linear</c>). With
    /// <c>batch_norm=true</c>, convolution <c>layers.i</c> is followed by <c>norms.i</c> (type <c>BatchNorm2d</c>,
    /// PyTorch's <c>nn.BatchNorm2d</c> defaults: ε 1e-5, momentum 0.1, affine, running statistics) before its
    /// activation; the convolutions keep their bias, as PyTorch's <c>nn.Conv2d</c> does by default. Train mode
    /// normalizes with the batch's statistics and updates the running ones; eval mode (scoring, validation, ONNX)
    /// uses the running statistics.</item>
    /// <item><c>resnet(blocks=8, width=16, batch_norm=false)</c>: the stem <c>stem</c> (3×3 convolution C → <c>width</c>,
    /// zero padding 1) and ReLU; <c>blocks</c> basic residual blocks (He et al. 2016) in three stages of <c>width</c>,
    /// 2·<c>width</c> and 4·<c>width</c> channels (the stages differ in length by at most one, the first ones longer);
    /// block k is <c>blocks.k.conv1</c> (3×3) → ReLU → <c>blocks.k.conv2</c> (3×3) → + shortcut → ReLU, both
    /// convolutions with zero padding 1; a block that starts stage 2 or 3 first max-pools its input 2×2 and its
    /// shortcut is the 1×1 projection convolution <c>blocks.k.shortcut</c> of the pooled input (the identity
    /// otherwise); then global average pooling and the linear classifier <c>fc</c> (4·<c>width</c> → K). Layers
    /// <c>stem</c>, <c>blocks.k.conv1</c>, <c>blocks.k.conv2</c>, <c>blocks.k.shortcut</c> (type <c>Conv2d</c>) and
    /// <c>fc</c> (type <c>Linear</c>), in that order; the activation is ReLU only (the text form has no
    /// <c>activation</c>). With <c>batch_norm=true</c> every convolution is followed by a batch normalization (type
    /// <c>BatchNorm2d</c>, as in <c>plain_cnn</c>): <c>stem_bn</c> after the stem, <c>blocks.k.bn1</c> after conv1
    /// (before its ReLU), <c>blocks.k.bn2</c> after conv2 and <c>blocks.k.shortcut_bn</c> after the projection (both
    /// before the addition). Zero-init-residual plan (each residual branch's last layer starts at zero, as Goyal et al.
    /// 2017 do with the last BN scale and Fixup with the last convolution): <c>blocks.*.conv2.weight=zeros;
    /// blocks.*.conv2.bias=zeros</c> (with batch_norm, <c>blocks.*.bn2.weight=zeros</c>) makes every block its
    /// shortcut at initialization. Fixup-style plan (Zhang et al. 2019, without its scalar biases and multiplier): the
    /// residual branches' first convolutions He-initialized and scaled by L^(−1/(2m−2)) = L^(−1/2) for L =
    /// <c>blocks</c> branches of m = 2 layers, i.e. variance 2/(L·fan_in):
    /// <c>weight=kaiming_normal(nonlinearity=relu); bias=zeros; blocks.*.conv1.weight=variance_scaling(scale=0.125,
    /// mode=fan_in, distribution=normal); blocks.*.conv2.weight=zeros; zero_last_layer=true</c> for 16 blocks
    /// (scale = 2/L).</item>
    /// </list>
    /// <para>Layer names are stable: initializer plans address them (<c>layers.29.weight=zeros</c>,
    /// <c>Linear.weight=…</c>, <c>layers.*.bias=zeros</c>). <c>activation</c> is one of <c>relu</c>, <c>tanh</c>,
    /// <c>linear</c>, <c>selu</c>.</para>
    /// <para>Batch normalization parameters (<c>norms.i.weight</c>, <c>norms.i.bias</c>; <c>resnet</c>'s <c>stem_bn</c>,
    /// <c>blocks.k.bn1</c>, <c>blocks.k.bn2</c>, <c>blocks.k.shortcut_bn</c>) take only the plan's rules
    /// that name them: exact (<c>norms.3.weight=constant(val=0.5)</c>), glob (<c>norms.*.bias=zeros</c>) or type
    /// (<c>BatchNorm2d.weight=ones</c>). The plan-wide <c>weight</c>/<c>bias</c> (what <c>-i kaiming_normal</c> sets)
    /// apply to the Conv2d and Linear layers only; a batch normalization parameter no rule names keeps PyTorch's reset
    /// (weight 1, bias 0), as PyTorch users leave it (xavier, kaiming and orthogonal are undefined on a 1-D tensor).
    /// The depth, <see cref="LayerNames"/> and the per-layer diagnostics count the Conv2d and Linear layers.</para>
    /// </remarks>
    public sealed record NetworkArchitecture
    {
        /// <summary>Largest depth accepted (layers), for either deep family.</summary>
        public const int MaxDepth = 1000;

        /// <summary>Largest width accepted (units of an MLP layer, channels of the first CNN stage).</summary>
        public const int MaxWidth = 16384;

        /// <summary>Largest number of residual blocks accepted (<c>resnet</c>; its depth stays within <see cref="MaxDepth"/>).</summary>
        public const int MaxBlocks = 498;

        private static readonly Dictionary<NetworkActivation, string> ActivationNames = new()
        {
            [NetworkActivation.Relu] = "relu",
            [NetworkActivation.Tanh] = "tanh",
            [NetworkActivation.Linear] = "linear",
            [NetworkActivation.Selu] = "selu",
        };

        private NetworkArchitecture(ArchitectureKind kind, int depth, int width, NetworkActivation activation, bool batchNorm, int blocks = 0)
        {
            Blocks = blocks;
            Kind = kind;
            Depth = depth;
            Width = width;
            Activation = activation;
            BatchNorm = batchNorm;
        }

        /// <summary>The seed article's net (<see cref="MnistCnn"/>), text form <c>mnist_net</c>: the default.</summary>
        public static NetworkArchitecture MnistNet { get; } = new(ArchitectureKind.MnistNet, 4, 0, NetworkActivation.Relu, false);

        /// <summary>The family.</summary>
        internal ArchitectureKind Kind { get; }

        /// <summary>Parameterized layers, the classifier included (4 for <c>mnist_net</c>; for <c>resnet</c> the stem,
        /// two convolutions per block, the shortcut projections and the classifier).</summary>
        public int Depth { get; }

        /// <summary>Units per hidden layer (<c>mlp</c>), channels of the first stage (<c>plain_cnn</c>, <c>resnet</c>); 0
        /// for <c>mnist_net</c>.</summary>
        public int Width { get; }

        /// <summary>The nonlinearity after every layer but the last (ReLU for <c>mnist_net</c>).</summary>
        public NetworkActivation Activation { get; }

        /// <summary>Batch normalization after every convolution: between it and its activation (<c>plain_cnn</c>),
        /// before the ReLU or the residual addition (<c>resnet</c>).</summary>
        public bool BatchNorm { get; }

        /// <summary>Residual blocks (<c>resnet</c>); 0 for the other families.</summary>
        public int Blocks { get; }

        /// <summary>The canonical text form, e.g. <c>mlp(depth=30, width=256, activation=relu)</c>.</summary>
        public string TextForm => Kind switch
        {
            ArchitectureKind.Mlp => string.Create(CultureInfo.InvariantCulture, $"mlp(depth={Depth}, width={Width}, activation={ActivationNames[Activation]})"),
            ArchitectureKind.PlainCnn => string.Create(CultureInfo.InvariantCulture,
                $"plain_cnn(depth={Depth}, width={Width}, activation={ActivationNames[Activation]}, batch_norm={(BatchNorm ? "true" : "false")})"),
            ArchitectureKind.ResNet => string.Create(CultureInfo.InvariantCulture,
                $"resnet(blocks={Blocks}, width={Width}, batch_norm={(BatchNorm ? "true" : "false")})"),
            _ => "mnist_net",
        };

        /// <summary>The names of the parameterized layers, in order (what plans address).</summary>
        public IReadOnlyList<string> LayerNames => Kind switch
        {
            ArchitectureKind.MnistNet => new[] { "conv1", "conv2", "fc1", "fc2" },
            ArchitectureKind.ResNet => ResNetNetwork.LayerNames(this),
            _ => Enumerable.Range(0, Depth).Select(LayerName).ToList(),
        };

        /// <summary>A plain MLP (see the remarks for the layout).</summary>
        /// <param name="depth">Linear layers, the classifier included (2 … <see cref="MaxDepth"/>). Default 30.</param>
        /// <param name="width">Units per hidden layer (1 … <see cref="MaxWidth"/>). Default 256.</param>
        /// <param name="activation">Nonlinearity between layers. Default ReLU.</param>
        /// <returns>The architecture.</returns>
        /// <exception cref="ArchitectureFormatException">A value out of range (names the parameter).</exception>
        public static NetworkArchitecture Mlp(int depth = 30, int width = 256, NetworkActivation activation = NetworkActivation.Relu)
        {
            Check(depth >= 2 && depth <= MaxDepth, "depth", depth, $"2 … {MaxDepth} (linear layers, the classifier included)");
            Check(width >= 1 && width <= MaxWidth, "width", width, $"1 … {MaxWidth}");
            CheckActivation(activation);
            return new NetworkArchitecture(ArchitectureKind.Mlp, depth, width, activation, false);
        }

        /// <summary>A plain CNN (see the remarks for the layout).</summary>
        /// <param name="depth">Parameterized layers: depth − 1 convolutions and the classifier (2 … <see cref="MaxDepth"/>).
        /// Default 20.</param>
        /// <param name="width">Channels of the first stage (1 … 1024). Default 32.</param>
        /// <param name="activation">Nonlinearity after every convolution. Default ReLU.</param>
        /// <param name="batchNorm">Batch normalization (<c>norms.i</c>, PyTorch's <c>nn.BatchNorm2d</c> defaults) between every
        /// convolution and its activation. Default false.</param>
        /// <returns>The architecture.</returns>
        /// <exception cref="ArchitectureFormatException">A value out of range (names the parameter).</exception>
        public static NetworkArchitecture PlainCnn(int depth = 20, int width = 32, NetworkActivation activation = NetworkActivation.Relu, bool batchNorm = false)
        {
            Check(depth >= 2 && depth <= MaxDepth, "depth", depth, $"2 … {MaxDepth} (convolutions plus the classifier)");
            Check(width >= 1 && width <= 1024, "width", width, "1 … 1024 (channels of the first stage)");
            CheckActivation(activation);
            return new NetworkArchitecture(ArchitectureKind.PlainCnn, depth, width, activation, batchNorm);
        }

        /// <summary>A residual network of basic blocks (see the remarks for the layout and the layer names); ReLU only.</summary>
        /// <param name="blocks">Residual blocks (1 … <see cref="MaxBlocks"/>). Default 8.</param>
        /// <param name="width">Channels of the stem and the first stage (1 … 1024). Default 16.</param>
        /// <param name="batchNorm">Batch normalization (PyTorch's <c>nn.BatchNorm2d</c> defaults) after every convolution:
        /// <c>stem_bn</c>, <c>blocks.k.bn1</c>, <c>blocks.k.bn2</c>, <c>blocks.k.shortcut_bn</c>. Default false.</param>
        /// <returns>The architecture.</returns>
        /// <exception cref="ArchitectureFormatException">A value out of range (names the parameter).</exception>
        public static NetworkArchitecture ResNet(int blocks = 8, int width = 16, bool batchNorm = false)
        {
            Check(blocks >= 1 && blocks <= MaxBlocks, "blocks", blocks, $"1 … {MaxBlocks} (residual blocks)");
            Check(width >= 1 && width <= 1024, "width", width, "1 … 1024 (channels of the first stage)");
            // Parameterized layers: the stem, two convolutions per block, a projection where stage 2 and 3 begin, fc.
            int depth = 2 + 2 * blocks + (Math.Min(3, blocks) - 1);
            return new NetworkArchitecture(ArchitectureKind.ResNet, depth, width, NetworkActivation.Relu, batchNorm, blocks);
        }

        /// <summary>Reads a text form (see the remarks), e.g. <c>mlp(depth=30, width=256, activation=relu)</c>.</summary>
        /// <param name="text">The text form; parameters left out take their defaults.</param>
        /// <returns>The architecture.</returns>
        /// <exception cref="ArchitectureFormatException">Unknown family, unknown or repeated parameter, a value not of
        /// the parameter's type or out of range; <see cref="ArchitectureFormatException.ParameterName"/> names the
        /// parameter when there is one.</exception>
        public static NetworkArchitecture Parse(string text) => ArchitectureSyntax.Parse(text);

        /// <summary>Reads a text form without throwing.</summary>
        /// <param name="text">The text form.</param>
        /// <param name="architecture">The architecture, or null.</param>
        /// <param name="error">Why the text is not an architecture, or null.</param>
        /// <returns>Whether the text was read.</returns>
        public static bool TryParse(string? text, [NotNullWhen(true)] out NetworkArchitecture? architecture, out string? error)
        {
            try
            {
                architecture = ArchitectureSyntax.Parse(text);
                error = null;
                return true;
            }
            catch (ArchitectureFormatException e)
            {
                architecture = null;
                error = e.Message;
                return false;
            }
        }

        /// <summary>Builds the network with uninitialized parameters (fill them with <see cref="NetworkInitializer"/>).</summary>
        /// <param name="shape">Input images and number of classes.</param>
        /// <param name="path">How convolutions are computed (see <see cref="ConvolutionPathSelector"/>).</param>
        /// <returns>The network (dispose it).</returns>
        /// <exception cref="ArgumentException">The images are too small for the architecture.</exception>
        public ClassifierNetwork Build(ImageShape shape, ConvolutionPath path)
        {
            ArgumentNullException.ThrowIfNull(shape);
            return Kind switch
            {
                ArchitectureKind.Mlp => new MlpNetwork(this, shape),
                ArchitectureKind.PlainCnn => new PlainCnnNetwork(this, shape, path),
                ArchitectureKind.ResNet => new ResNetNetwork(this, shape, path),
                _ => new MnistCnn(shape, path),
            };
        }

        /// <inheritdoc/>
        public override string ToString() => TextForm;

        /// <summary>The text name of an activation (<c>relu</c>, …).</summary>
        internal static string NameOf(NetworkActivation activation) => ActivationNames[activation];

        /// <summary>The activation of a text name, or null.</summary>
        internal static NetworkActivation? ActivationOf(string name)
        {
            foreach (var (activation, text) in ActivationNames)
            {
                if (text == name)
                {
                    return activation;
                }
            }
            return null;
        }

        /// <summary>Valid activation names, comma-separated.</summary>
        internal static string ActivationList => string.Join(", ", ActivationNames.Values);

        /// <summary>The state-dict names and shapes of the network for <paramref name="shape"/>, in state-dict order,
        /// known without allocating it.</summary>
        internal IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(ImageShape shape) => Kind switch
        {
            ArchitectureKind.Mlp => MlpNetwork.ParameterShapes(this, shape),
            ArchitectureKind.PlainCnn => PlainCnnNetwork.ParameterShapes(this, shape),
            ArchitectureKind.ResNet => ResNetNetwork.ParameterShapes(this, shape),
            _ => MnistCnn.ParameterShapes(shape),
        };

        /// <summary>The forward pass (before log-softmax) as steps, for the ONNX export.</summary>
        internal IReadOnlyList<LayerStep> Steps(ImageShape shape) => Kind switch
        {
            ArchitectureKind.Mlp => MlpNetwork.Steps(this),
            ArchitectureKind.PlainCnn => PlainCnnNetwork.Steps(this, shape),
            ArchitectureKind.ResNet => ResNetNetwork.Steps(this),
            _ => MnistCnn.Steps,
        };

        /// <summary>The convolution shapes to check against float64 before a fit (<see cref="ConvolutionPathSelector"/>),
        /// grouped by kernel size; empty for the seed net (checked at process start) and the MLP (no convolution).</summary>
        internal IReadOnlyList<(IReadOnlyList<(long Batch, long In, long Out, long Size)> Shapes, long Kernel)> CheckShapes(ImageShape shape) => Kind switch
        {
            ArchitectureKind.PlainCnn => new[] { (PlainCnnNetwork.CheckShapes(this, shape), (long)PlainCnnNetwork.Kernel) },
            ArchitectureKind.ResNet => ResNetNetwork.CheckShapes(this, shape),
            _ => Array.Empty<(IReadOnlyList<(long, long, long, long)>, long)>(),
        };

        /// <summary>The name of layer <paramref name="index"/> of a deep architecture: <c>layers.{index}</c>.</summary>
        internal static string LayerName(int index) => string.Create(CultureInfo.InvariantCulture, $"layers.{index}");

        private static void Check(bool ok, string parameter, int value, string expected)
        {
            if (!ok)
            {
                throw new ArchitectureFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"Architecture parameter '{parameter}' must be {expected}; got {value}."), parameter);
            }
        }

        private static void CheckActivation(NetworkActivation activation)
        {
            if (!ActivationNames.ContainsKey(activation))
            {
                throw new ArchitectureFormatException($"Architecture parameter 'activation' must be one of {ActivationList}; got {(int)activation}.", "activation");
            }
        }
    }
}
