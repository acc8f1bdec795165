using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>Welch's t-test of two initializers' final-epoch values of one metric, with the Holm-adjusted p-value.</summary>
    /// <param name="Metric">The metric, e.g. <c>Average loss</c>.</param>
    /// <param name="A">First initializer.</param>
    /// <param name="B">Second initializer.</param>
    /// <param name="ValuesA">Mean ± std of A over its seeds.</param>
    /// <param name="ValuesB">Mean ± std of B over its seeds.</param>
    /// <param name="Test">Welch's t, degrees of freedom and raw two-sided p.</param>
    /// <param name="AdjustedP">Holm–Bonferroni adjusted p over every pair of this metric.</param>
    /// <param name="Significant">Whether <see cref="AdjustedP"/> &lt; the summary's α: the difference is larger than
    /// the seed-to-seed spread explains.</param>
    public sealed record PairwiseDifference(string Metric, string A, string B, MeanStd ValuesA, MeanStd ValuesB,
        WelchTest Test, double AdjustedP, bool Significant);
}
