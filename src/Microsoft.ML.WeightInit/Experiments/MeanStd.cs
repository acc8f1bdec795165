using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>Mean and sample standard deviation of one table cell's values (one value per seed).</summary>
    /// <param name="Mean">Arithmetic mean; NaN when <see cref="N"/> is 0.</param>
    /// <param name="Std">Sample standard deviation √(Σ(x − mean)² / (n − 1)); NaN when <see cref="N"/> &lt; 2.</param>
    /// <param name="N">Number of values (runs that reached this cell).</param>
    public readonly record struct MeanStd(double Mean, double Std, int N)
    {
        /// <summary>No values.</summary>
        public static MeanStd Empty { get; } = new(double.NaN, double.NaN, 0);

        /// <summary>Computes the mean and sample standard deviation.</summary>
        /// <param name="values">The values (NaN values are skipped: a run that did not reach the cell).</param>
        /// <returns>The summary.</returns>
        public static MeanStd Of(IEnumerable<double> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var x = values.Where(v => !double.IsNaN(v)).ToArray();
            if (x.Length == 0)
            {
                return Empty;
            }
            double mean = x.Average();
            double std = x.Length < 2 ? double.NaN : Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
            return new MeanStd(mean, std, x.Length);
        }
    }
}
