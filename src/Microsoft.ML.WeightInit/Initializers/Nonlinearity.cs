namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The nonlinearities <see cref="Gain.Calculate(Nonlinearity, double?)"/> knows, as in PyTorch's
    /// <c>torch.nn.init.calculate_gain</c>. Text names are PyTorch's: <c>linear</c>, <c>conv2d</c>,
    /// <c>conv_transpose2d</c>, <c>leaky_relu</c>, …
    /// </summary>
    public enum Nonlinearity
    {
        /// <summary><c>linear</c>: gain 1.</summary>
        Linear,
        /// <summary><c>conv1d</c>: gain 1.</summary>
        Conv1d,
        /// <summary><c>conv2d</c>: gain 1.</summary>
        Conv2d,
        /// <summary><c>conv3d</c>: gain 1.</summary>
        Conv3d,
        /// <summary><c>conv_transpose1d</c>: gain 1.</summary>
        ConvTranspose1d,
        /// <summary><c>conv_transpose2d</c>: gain 1.</summary>
        ConvTranspose2d,
        /// <summary><c>conv_transpose3d</c>: gain 1.</summary>
        ConvTranspose3d,
        /// <summary><c>sigmoid</c>: gain 1.</summary>
        Sigmoid,
        /// <summary><c>tanh</c>: gain 5/3.</summary>
        Tanh,
        /// <summary><c>relu</c>: gain √2.</summary>
        Relu,
        /// <summary><c>leaky_relu</c>: gain √(2 / (1 + slope²)), slope 0.01 unless given.</summary>
        LeakyRelu,
        /// <summary><c>selu</c>: gain 3/4.</summary>
        Selu,
    }

    /// <summary>Which fan Kaiming (He) initialization preserves, as PyTorch's <c>mode</c> argument.</summary>
    public enum FanMode
    {
        /// <summary><c>fan_in</c>: preserves the variance of activations in the forward pass.</summary>
        FanIn,
        /// <summary><c>fan_out</c>: preserves the variance of gradients in the backward pass.</summary>
        FanOut,
    }
}
