using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Which parameter of a layer an initializer is filling.</summary>
    public enum ParameterRole
    {
        /// <summary>The layer's weight (for Conv2d: <c>out_channels × in_channels × kH × kW</c>; Linear: <c>out × in</c>).</summary>
        Weight,

        /// <summary>The layer's bias (one value per output channel or feature).</summary>
        Bias,
    }

    /// <summary>
    /// What an <see cref="IWeightInitializer"/> is told about the tensor it fills: the random generator to draw from,
    /// the layer's name, whether the tensor is the weight or the bias, and the shape of the layer's weight (a bias
    /// initializer such as PyTorch's default reset needs the weight's fan_in).
    /// </summary>
    public sealed class WeightInitContext
    {
        /// <summary>Creates a context.</summary>
        /// <param name="generator">The generator every random draw comes from.</param>
        /// <param name="layerName">The layer's name in the network, e.g. <c>conv2</c>.</param>
        /// <param name="role">Weight or bias.</param>
        /// <param name="weightShape">Shape of the layer's weight tensor.</param>
        /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
        public WeightInitContext(torch.Generator generator, string layerName, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            Generator = generator ?? throw new ArgumentNullException(nameof(generator));
            LayerName = layerName ?? throw new ArgumentNullException(nameof(layerName));
            Role = role;
            WeightShape = weightShape ?? throw new ArgumentNullException(nameof(weightShape));
        }

        /// <summary>The generator every random draw comes from (PyTorch's MT19937 CPU generator).</summary>
        public torch.Generator Generator { get; }

        /// <summary>The layer's name in the network, e.g. <c>conv1</c>, <c>fc2</c>.</summary>
        public string LayerName { get; }

        /// <summary>Whether the tensor being filled is the layer's weight or its bias.</summary>
        public ParameterRole Role { get; }

        /// <summary>Shape of the layer's weight tensor (also given when the bias is filled).</summary>
        public IReadOnlyList<long> WeightShape { get; }

        /// <summary>
        /// Name of the parameter being filled, as in a PyTorch state_dict: <c>conv1.weight</c>; for a standalone tensor
        /// (<see cref="ForTensor"/>), the name given there.
        /// </summary>
        public string ParameterName => _standaloneName ?? LayerName + (Role == ParameterRole.Weight ? ".weight" : ".bias");

        private string? _standaloneName;

        /// <summary>A context for one parameter of a module tree, named by its full path (e.g. <c>encoder.layers.0.linear1.bias</c>).</summary>
        internal static WeightInitContext ForParameter(torch.Generator generator, string path, ParameterRole role, IReadOnlyList<long> weightShape) =>
            new(generator, path, role, weightShape) { _standaloneName = path };

        /// <summary>A context for filling a standalone tensor (its own shape is the weight shape).</summary>
        /// <param name="generator">The generator every random draw comes from.</param>
        /// <param name="tensor">The tensor to be filled.</param>
        /// <param name="name">The tensor's name in error messages (<see cref="ParameterName"/>); default <c>tensor</c>.</param>
        /// <returns>A weight-role context.</returns>
        public static WeightInitContext ForTensor(torch.Generator generator, torch.Tensor tensor, string name = "tensor")
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(name);
            return new WeightInitContext(generator, name, ParameterRole.Weight, tensor.shape) { _standaloneName = name };
        }
    }
}
