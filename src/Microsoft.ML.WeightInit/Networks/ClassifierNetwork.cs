using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// A network the InitCnn trainer trains: N × C × H × W normalized images → N × K log-probabilities, built from a
    /// <see cref="NetworkArchitecture"/>. Its parameterized layers (<see cref="Layers"/>) are what initializer plans
    /// address by name (<c>conv1</c>, … for the seed net; <c>layers.0</c>, <c>layers.1</c>, … for the deep
    /// architectures); state-dict keys are <c>{layer}.weight</c> and <c>{layer}.bias</c>.
    /// </summary>
    public abstract class ClassifierNetwork : nn.Module<Tensor, Tensor>
    {
        /// <summary>Creates the module.</summary>
        /// <param name="name">Module name (the type's name).</param>
        private protected ClassifierNetwork(string name)
            : base(name)
        {
        }

        /// <summary>Input shape and number of classes.</summary>
        public abstract ImageShape Shape { get; }

        /// <summary>The architecture this network was built from.</summary>
        public abstract NetworkArchitecture Architecture { get; }

        /// <summary>The parameterized layers in construction order (the last one gives the class logits).</summary>
        internal abstract IReadOnlyList<IParameterizedLayer> Layers { get; }

        /// <summary>The batch-normalization layers in construction order (<c>norms.0</c>, …), empty for networks without
        /// them. They are not among <see cref="Layers"/> (which give the network's depth and the outputs of
        /// <see cref="ForwardWithLayerOutputs"/>); plans address their weight and bias by name and type
        /// (<c>BatchNorm2d</c>), and parameters no rule names keep PyTorch's reset (see <see cref="NetworkInitializer"/>).</summary>
        internal virtual IReadOnlyList<BatchNorm2dLayer> Norms => System.Array.Empty<BatchNorm2dLayer>();

        /// <summary>How the convolutions are computed (networks without convolutions keep the value and ignore it).</summary>
        public abstract ConvolutionPath ConvolutionPath { get; set; }

        /// <summary>Forward pass that also returns every layer's output before its activation (for diagnostics and
        /// LSUV's calibration). A layer's output is its own (a convolution's before its batch normalization); in train mode
        /// batch normalization uses the batch's statistics without updating the running statistics (this pass is no
        /// training step).</summary>
        /// <param name="input">A batch of normalized images, N × C × H × W.</param>
        /// <returns>The output of each of <see cref="Layers"/>, in order, then the N × K log-probabilities.</returns>
        internal abstract IReadOnlyList<Tensor> ForwardWithLayerOutputs(Tensor input);
    }
}
