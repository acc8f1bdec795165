using TorchSharp.Modules;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>A layer with a weight and a bias, as initializers see it.</summary>
    internal interface IParameterizedLayer
    {
        /// <summary>The layer's name in the network and in state_dict keys, e.g. <c>conv1</c>.</summary>
        string LayerName { get; }

        /// <summary>The weight: O × C × kH × kW for a convolution, out × in for a linear layer.</summary>
        Parameter Weight { get; }

        /// <summary>The bias: one value per output channel or feature.</summary>
        Parameter Bias { get; }
    }
}
