using System.Collections.Generic;
using Microsoft.ML.WeightInit.Initializers;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>
    /// Summary of one parameter tensor after initialization, next to what its scheme predicts.
    /// </summary>
    /// <param name="ParameterName">State-dict name, e.g. <c>conv1.weight</c>.</param>
    /// <param name="Shape">The tensor's shape.</param>
    /// <param name="Scheme">Text form of the initializer that filled it (e.g. <c>zeros</c> for the last layer under
    /// <see cref="InitializerPlan.ZeroLastLayer"/>).</param>
    /// <param name="Mean">Mean of the values.</param>
    /// <param name="Std">Standard deviation of the values (with the n − 1 denominator; 0 for fewer than 2 values).</param>
    /// <param name="Min">Smallest value (NaN for an empty tensor).</param>
    /// <param name="Max">Largest value (NaN for an empty tensor).</param>
    /// <param name="Theory">What the scheme predicts for this shape, or null when it cannot say (LSUV, custom
    /// initializers).</param>
    public sealed record ParameterStatistics(
        string ParameterName, IReadOnlyList<long> Shape, string Scheme, double Mean, double Std, double Min, double Max, DistributionTheory? Theory);
}
