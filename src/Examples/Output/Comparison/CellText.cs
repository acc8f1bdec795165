using System.Globalization;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>How a table cell reads: <c>0.0415 ± 0.0012</c>, <c>0.0415</c> (one seed), a run count when some seeds
    /// did not reach the cell, <c>—</c> when none did.</summary>
    public static class CellText
    {
        /// <summary>Digits after the point, as in the article's tables.</summary>
        public const string Format = "F4";

        /// <summary>The cell's text.</summary>
        /// <param name="cell">Mean, std and number of runs.</param>
        /// <param name="expectedRuns">Runs that should have reached the cell (seeds finished for this initializer).</param>
        public static string Of(MeanStd cell, int expectedRuns)
        {
            var c = CultureInfo.InvariantCulture;
            if (cell.N == 0)
            {
                return "—";
            }
            string text = double.IsNaN(cell.Std) ? cell.Mean.ToString(Format, c) : $"{cell.Mean.ToString(Format, c)} ± {cell.Std.ToString(Format, c)}";
            return cell.N < expectedRuns ? $"{text} (n={cell.N.ToString(c)})" : text;
        }
    }
}
