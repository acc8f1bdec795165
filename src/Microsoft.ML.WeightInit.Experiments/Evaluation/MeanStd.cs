using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MathNet.Numerics.Statistics;

namespace Microsoft.ML.WeightInit.Evaluation
{
    /// <summary>Mean and sample standard deviation of a metric over runs (seeds, folds), as the comparison tables and
    /// the sweep leaderboard report them.</summary>
    /// <param name="Mean">Arithmetic mean; NaN when <see cref="N"/> is 0.</param>
    /// <param name="Std">Sample standard deviation √(Σ(x − mean)² / (n − 1)); NaN when <see cref="N"/> &lt; 2.</param>
    /// <param name="N">Number of values.</param>
    public readonly record struct MeanStd(double Mean, double Std, int N)
    {
        /// <summary>No values.</summary>
        public static MeanStd Empty { get; } = new(double.NaN, double.NaN, 0);

        /// <summary>Computes the mean and sample standard deviation (Math.NET Numerics'
        /// <c>Statistics.MeanStandardDeviation</c>).</summary>
        /// <param name="values">The values (NaN values are skipped: a run that did not reach the cell).</param>
        /// <returns>The summary.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
        public static MeanStd Of(IEnumerable<double> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var x = values.Where(v => !double.IsNaN(v)).ToArray();
            if (x.Length == 0)
            {
                return Empty;
            }
            var (mean, std) = x.MeanStandardDeviation();
            return new MeanStd(mean, x.Length < 2 ? double.NaN : std, x.Length);
        }

        /// <summary><c>mean ± std</c> with 4 decimals (just the mean for one value, <c>—</c> for none).</summary>
        /// <returns>The text.</returns>
        public override string ToString() => N == 0 ? "—"
            : N == 1 ? Mean.ToString("F4", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {Std:F4}");
    }
}
