using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>Forward and backward signal of every layer, and the loss, on one batch.</summary>
    /// <param name="Loss">Mean NLL of the batch at initialization (ln K ≈ 2.303 for 10 classes when the output is
    /// uninformative).</param>
    /// <param name="Layers">One entry per layer, in order.</param>
    public sealed record SignalReport(double Loss, IReadOnlyList<LayerSignal> Layers);
}
