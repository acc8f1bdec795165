using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>Signal propagation through one layer at initialization, on one batch.</summary>
    /// <param name="LayerName">The layer, e.g. <c>conv2</c>.</param>
    /// <param name="OutputMean">Mean of the layer's output (conv or linear plus bias, before ReLU/pooling).</param>
    /// <param name="OutputStd">Standard deviation of the layer's output over all elements (forward signal).</param>
    /// <param name="GradientStd">Standard deviation of ∂loss/∂output over all elements, loss = mean NLL on the
    /// batch (backward signal).</param>
    public sealed record LayerSignal(string LayerName, double OutputMean, double OutputStd, double GradientStd);

    /// <summary>Forward and backward signal of every layer, and the loss, on one batch.</summary>
    /// <param name="Loss">Mean NLL of the batch at initialization (ln K ≈ 2.303 for 10 classes when the output is
    /// uninformative).</param>
    /// <param name="Layers">One entry per layer, in order.</param>
    public sealed record SignalReport(double Loss, IReadOnlyList<LayerSignal> Layers);
}
