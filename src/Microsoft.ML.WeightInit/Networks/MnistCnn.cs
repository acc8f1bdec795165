using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// The classic MNIST network of PyTorch's examples (<c>examples/mnist/main.py</c>, the seed article's <c>Net</c>):
    /// conv1 (C→20, 5×5, stride 1) → ReLU → max-pool 2 → conv2 (20→50, 5×5, stride 1) → ReLU → max-pool 2 →
    /// flatten → fc1 (50·h·w → 500) → ReLU → fc2 (500 → K) → log-softmax. For 1 × 28 × 28 images, fc1 is 800 → 500.
    /// Parameter names (<c>conv1.weight</c>, …) are the PyTorch ones.
    /// </summary>
    internal sealed class MnistCnn : ClassifierNetwork
    {
#pragma warning disable IDE1006, SA1307 // Field names are the PyTorch module names (state_dict keys).
        private readonly Conv2dLayer conv1;
        private readonly Conv2dLayer conv2;
        private readonly LinearLayer fc1;
        private readonly LinearLayer fc2;
#pragma warning restore IDE1006, SA1307

        /// <summary>Creates the network with uninitialized parameters (see <see cref="NetworkInitializer"/>).</summary>
        /// <param name="shape">Input image shape and number of classes.</param>
        /// <param name="path">How convolutions are computed.</param>
        /// <exception cref="ArgumentException">The images are too small for two 5×5 convolutions and two poolings.</exception>
        internal MnistCnn(ImageShape shape, ConvolutionPath path)
            : base(nameof(MnistCnn))
        {
            Shape = shape ?? throw new ArgumentNullException(nameof(shape));
            conv1 = new Conv2dLayer(nameof(conv1), shape.Channels, 20, 5, path);
            conv2 = new Conv2dLayer(nameof(conv2), 20, 50, 5, path);
            fc1 = new LinearLayer(nameof(fc1), 50 * shape.PooledHeight * shape.PooledWidth, 500);
            fc2 = new LinearLayer(nameof(fc2), 500, shape.Classes);
            RegisterComponents();
        }

        /// <summary>Input shape and number of classes.</summary>
        public override ImageShape Shape { get; }

        /// <summary><see cref="NetworkArchitecture.MnistNet"/>.</summary>
        public override NetworkArchitecture Architecture => NetworkArchitecture.MnistNet;

        /// <summary>The state-dict names and shapes of a network of <paramref name="shape"/>, in state-dict order,
        /// known without allocating it (a file's weights are checked against them first).</summary>
        internal static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(ImageShape shape) => new (string, long[])[]
        {
            ("conv1.weight", new long[] { 20, shape.Channels, 5, 5 }), ("conv1.bias", new long[] { 20 }),
            ("conv2.weight", new long[] { 50, 20, 5, 5 }), ("conv2.bias", new long[] { 50 }),
            ("fc1.weight", new long[] { 500, 50L * shape.PooledHeight * shape.PooledWidth }), ("fc1.bias", new long[] { 500 }),
            ("fc2.weight", new long[] { shape.Classes, 500 }), ("fc2.bias", new long[] { shape.Classes }),
        };

        /// <summary>The forward pass as a list of steps (what <see cref="forward"/> computes before log-softmax), for
        /// exporters: conv1, ReLU, pool, conv2, ReLU, pool, flatten, fc1, ReLU, fc2.</summary>
        internal static IReadOnlyList<LayerStep> Steps { get; } = new[]
        {
            LayerStep.Conv(nameof(conv1), 5), LayerStep.Relu, LayerStep.Pool(2),
            LayerStep.Conv(nameof(conv2), 5), LayerStep.Relu, LayerStep.Pool(2),
            LayerStep.Flatten, LayerStep.Linear(nameof(fc1)), LayerStep.Relu, LayerStep.Linear(nameof(fc2)),
        };

        /// <summary>The four layers in PyTorch's construction order: conv1, conv2, fc1, fc2.</summary>
        internal override IReadOnlyList<IParameterizedLayer> Layers => new IParameterizedLayer[] { conv1, conv2, fc1, fc2 };

        /// <summary>How the convolutions are computed.</summary>
        public override ConvolutionPath ConvolutionPath
        {
            get => conv1.Path;
            set
            {
                conv1.Path = value;
                conv2.Path = value;
            }
        }

        /// <summary>Whether conv1 → ReLU → max-pool runs as one fused kernel (<see cref="Kernels.ConvReluPoolFunction"/>,
        /// checked against float64 at selection) when the input needs no gradient; off by default.</summary>
        internal bool FusedConv1ReluPool { get; set; }

        /// <summary>N × C × H × W images → N × K log-probabilities.</summary>
        /// <param name="input">A batch of normalized images.</param>
        /// <returns>log-softmax over the K classes.</returns>
        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = FusedConv1ReluPool && !input.requires_grad
                ? Kernels.ConvReluPoolFunction.Apply(input, conv1.Weight, conv1.Bias)
                : F.max_pool2d(F.relu(conv1.forward(input)), 2, 2);
            x = F.max_pool2d(F.relu(conv2.forward(x)), 2, 2);
            x = x.reshape(x.shape[0], -1);
            x = F.relu(fc1.forward(x));
            return F.log_softmax(fc2.forward(x), 1).MoveToOuterDisposeScope();
        }

        /// <summary>Forward pass that also returns every layer's pre-activation output (for diagnostics).</summary>
        /// <param name="input">A batch of normalized images.</param>
        /// <returns>Outputs of conv1, conv2, fc1, fc2 (before ReLU/pooling), then the log-probabilities.</returns>
        internal override IReadOnlyList<Tensor> ForwardWithLayerOutputs(Tensor input)
        {
            var c1 = conv1.forward(input);
            var c2 = conv2.forward(F.max_pool2d(F.relu(c1), 2, 2));
            var pooled = F.max_pool2d(F.relu(c2), 2, 2);
            var f1 = fc1.forward(pooled.reshape(pooled.shape[0], -1));
            var f2 = fc2.forward(F.relu(f1));
            return new[] { c1, c2, f1, f2, F.log_softmax(f2, 1) };
        }
    }
}
