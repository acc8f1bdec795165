namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>ML.NET's multiclass metrics of a trial's network on its validation rows
    /// (<c>mlContext.MulticlassClassification.Evaluate</c>).</summary>
    /// <param name="MicroAccuracy">Share of rows classified correctly.</param>
    /// <param name="MacroAccuracy">Mean over classes of the per-class accuracy.</param>
    /// <param name="LogLoss">Average negative log-likelihood of the true class.</param>
    /// <param name="LogLossReduction">1 − LogLoss / LogLoss of the class prior.</param>
    public sealed record TrialMetrics(double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction);
}
