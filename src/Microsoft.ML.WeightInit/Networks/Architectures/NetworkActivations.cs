using System;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>Applies a <see cref="NetworkActivation"/> to a tensor.</summary>
    internal static class NetworkActivations
    {
        /// <summary>The activation of <paramref name="x"/> (a new tensor; the identity returns <paramref name="x"/>).</summary>
        public static Tensor Apply(NetworkActivation activation, Tensor x) => activation switch
        {
            NetworkActivation.Relu => F.relu(x),
            NetworkActivation.Tanh => x.tanh(),
            NetworkActivation.Selu => F.selu(x),
            NetworkActivation.Linear => x,
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
        };
    }
}
