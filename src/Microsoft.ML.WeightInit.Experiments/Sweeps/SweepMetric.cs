using System;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>The metric a sweep optimizes, one of ML.NET's multiclass metrics on the validation rows.</summary>
    public enum SweepMetric
    {
        /// <summary>Share of rows classified correctly (higher is better).</summary>
        MicroAccuracy,

        /// <summary>Mean over classes of the per-class accuracy (higher is better).</summary>
        MacroAccuracy,

        /// <summary>Average negative log-likelihood of the true class (lower is better).</summary>
        LogLoss,
    }

    /// <summary>Reading a <see cref="SweepMetric"/> from trial metrics.</summary>
    public static class SweepMetricExtensions
    {
        /// <summary>Whether larger values are better.</summary>
        /// <param name="metric">The metric.</param>
        /// <returns>True for the accuracies, false for LogLoss.</returns>
        public static bool IsHigherBetter(this SweepMetric metric) => metric != SweepMetric.LogLoss;

        /// <summary>The metric's value in <paramref name="metrics"/>.</summary>
        /// <param name="metric">The metric.</param>
        /// <param name="metrics">A trial's metrics.</param>
        /// <returns>The value.</returns>
        public static double Of(this SweepMetric metric, EvaluationMetrics metrics)
        {
            ArgumentNullException.ThrowIfNull(metrics);
            return metric switch
            {
                SweepMetric.MicroAccuracy => metrics.MicroAccuracy,
                SweepMetric.MacroAccuracy => metrics.MacroAccuracy,
                SweepMetric.LogLoss => metrics.LogLoss,
                _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
            };
        }

        /// <summary>The value turned so that larger is better (LogLoss negated); NaN stays NaN.</summary>
        /// <param name="metric">The metric.</param>
        /// <param name="value">A value of the metric.</param>
        /// <returns>The score.</returns>
        public static double ToScore(this SweepMetric metric, double value) => metric.IsHigherBetter() ? value : -value;
    }
}
