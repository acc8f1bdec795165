namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>ML.NET's <c>MulticlassClassification.Evaluate</c> of a trained run on the test set.</summary>
    /// <param name="MicroAccuracy">Share of test images classified correctly, in [0, 1].</param>
    /// <param name="MacroAccuracy">Mean over classes of the per-class accuracy (recall), in [0, 1].</param>
    /// <param name="LogLoss">Average negative log-likelihood per test image (natural log, nats; ML.NET clips each
    /// probability at 1e-15).</param>
    public sealed record RunEvaluation(double MicroAccuracy, double MacroAccuracy, double LogLoss);
}
