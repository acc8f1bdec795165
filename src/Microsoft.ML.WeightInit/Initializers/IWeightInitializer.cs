using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Fills one parameter tensor of a network (a layer's weight or bias) in place, as a
    /// <c>torch.nn.init.*_</c> function does in PyTorch.
    /// </summary>
    /// <remarks>
    /// Implementations draw every random number from <see cref="WeightInitContext.Generator"/>, never from the global
    /// generator, so that the same seed gives bitwise-identical weights whatever ran before in the process. They run
    /// under <c>torch.no_grad()</c> and keep the tensor a leaf that requires grad. Every initializer has a canonical
    /// text form (<see cref="TextForm"/>) that <see cref="WeightInitializer.Parse(string)"/> reads back to an equal
    /// initializer.
    /// </remarks>
    public interface IWeightInitializer
    {
        /// <summary>
        /// The canonical text form with every parameter, e.g. <c>kaiming_normal(a=0, mode=fan_out, nonlinearity=relu)</c>.
        /// </summary>
        string TextForm { get; }

        /// <summary>Fills <paramref name="tensor"/> in place.</summary>
        /// <param name="tensor">The parameter to fill (any shape the scheme accepts; float32 or float64).</param>
        /// <param name="context">The generator, and which layer and parameter is being filled.</param>
        /// <exception cref="System.ArgumentException">The scheme does not accept the tensor's shape (the message
        /// names the parameter and its shape).</exception>
        void Initialize(torch.Tensor tensor, WeightInitContext context);
    }
}
