namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>The nonlinearity between the layers of a deep <see cref="NetworkArchitecture"/> (text form in
    /// parentheses).</summary>
    public enum NetworkActivation
    {
        /// <summary><c>relu</c>: max(x, 0) (PyTorch's <c>F.relu</c>).</summary>
        Relu,

        /// <summary><c>tanh</c>: the hyperbolic tangent (<c>torch.tanh</c>).</summary>
        Tanh,

        /// <summary><c>linear</c>: the identity, so the network is a deep linear network (Saxe et al. 2014).</summary>
        Linear,

        /// <summary><c>selu</c>: scale·(max(0, x) + min(0, α(eˣ − 1))), α ≈ 1.6733, scale ≈ 1.0507 (<c>F.selu</c>,
        /// Klambauer et al. 2017).</summary>
        Selu,
    }
}
