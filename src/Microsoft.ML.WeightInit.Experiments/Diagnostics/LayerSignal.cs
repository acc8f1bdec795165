namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>Signal propagation through one layer at initialization, on one batch.</summary>
    /// <param name="LayerName">The layer, e.g. <c>conv2</c>.</param>
    /// <param name="OutputMean">Mean of the layer's output (conv or linear plus bias, before ReLU/pooling).</param>
    /// <param name="OutputStd">Standard deviation of the layer's output over all elements (forward signal).</param>
    /// <param name="GradientStd">Standard deviation of ∂loss/∂output over all elements, loss = mean NLL on the
    /// batch (backward signal).</param>
    public sealed record LayerSignal(string LayerName, double OutputMean, double OutputStd, double GradientStd);
}
