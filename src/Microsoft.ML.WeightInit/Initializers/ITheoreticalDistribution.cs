using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// An initializer that can say, before drawing, which distribution its values follow for a given shape: the
    /// theoretical mean, standard deviation and bounds the diagnostics compare the drawn weights with. Optional:
    /// data-dependent schemes (LSUV) do not implement it.
    /// </summary>
    public interface ITheoreticalDistribution
    {
        /// <summary>The distribution of the values the scheme writes into a tensor of <paramref name="shape"/>.</summary>
        /// <param name="shape">Shape of the tensor to fill.</param>
        /// <param name="role">Whether the tensor is a layer's weight or its bias.</param>
        /// <param name="weightShape">Shape of the layer's weight (the same as <paramref name="shape"/> for a weight;
        /// PyTorch's default bias reset needs it).</param>
        /// <returns>The theory for that shape.</returns>
        /// <exception cref="System.ArgumentException">The scheme does not accept the shape.</exception>
        DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape);
    }
}
