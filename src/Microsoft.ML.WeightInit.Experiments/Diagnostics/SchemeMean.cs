namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>One line of the "Mean initialization" listing.</summary>
    /// <param name="Label">The article's label, e.g. <c>Xavier uniform</c>.</param>
    /// <param name="Scheme">The initializer's text form, e.g. <c>xavier_uniform(gain=1)</c>.</param>
    /// <param name="Mean">Mean of conv1.weight after the step.</param>
    public sealed record SchemeMean(string Label, string Scheme, double Mean);
}
