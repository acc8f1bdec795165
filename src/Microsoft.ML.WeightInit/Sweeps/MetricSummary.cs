using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MathNet.Numerics.Statistics;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>Mean and sample standard deviation of a metric over a candidate's completed trials (seeds × folds).</summary>
    /// <param name="Mean">Mean; NaN without values.</param>
    /// <param name="StandardDeviation">Sample standard deviation (n − 1); NaN with fewer than 2 values.</param>
    /// <param name="Count">Number of values.</param>
    public sealed record MetricSummary(double Mean, double StandardDeviation, int Count)
    {
        /// <summary>No values.</summary>
        public static MetricSummary Empty { get; } = new(double.NaN, double.NaN, 0);

        /// <summary>Summarizes values (Math.NET Numerics' <c>Statistics.MeanStandardDeviation</c>).</summary>
        /// <param name="values">The values.</param>
        /// <returns>The summary.</returns>
        public static MetricSummary Of(IEnumerable<double> values)
        {
            var list = values.ToList();
            if (list.Count == 0)
            {
                return Empty;
            }
            var (mean, std) = list.MeanStandardDeviation();
            return new MetricSummary(mean, list.Count < 2 ? double.NaN : std, list.Count);
        }

        /// <summary><c>mean ± std</c> with 4 decimals (just the mean for one value, <c>—</c> for none).</summary>
        /// <returns>The text.</returns>
        public override string ToString() => Count == 0 ? "—"
            : Count == 1 ? Mean.ToString("F4", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {StandardDeviation:F4}");
    }
}
