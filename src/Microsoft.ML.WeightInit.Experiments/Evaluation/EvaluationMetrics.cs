using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Evaluation
{
    /// <summary>ML.NET's multiclass metrics of a trained network on held-out rows
    /// (<c>mlContext.MulticlassClassification.Evaluate</c>), as comparison runs and sweep trials record them.</summary>
    /// <param name="MicroAccuracy">Share of rows classified correctly, in [0, 1].</param>
    /// <param name="MacroAccuracy">Mean over classes of the per-class accuracy (recall), in [0, 1].</param>
    /// <param name="LogLoss">Average negative log-likelihood of the true class per row (natural log, nats; ML.NET
    /// clips each probability at 1e-15).</param>
    /// <param name="LogLossReduction">1 − LogLoss / LogLoss of the class prior.</param>
    public sealed record EvaluationMetrics(double MicroAccuracy, double MacroAccuracy, double LogLoss, double LogLossReduction)
    {
        /// <summary>Copies the figures of ML.NET's metrics.</summary>
        /// <param name="metrics">The result of <c>Evaluate</c>.</param>
        /// <returns>The metrics.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="metrics"/> is null.</exception>
        public static EvaluationMetrics From(MulticlassClassificationMetrics metrics)
        {
            ArgumentNullException.ThrowIfNull(metrics);
            return new EvaluationMetrics(metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, metrics.LogLossReduction);
        }
    }
}
