namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>What a data-dependent initializer did to one layer.</summary>
    /// <param name="ParameterName">The weight, e.g. <c>conv1.weight</c>.</param>
    /// <param name="Iterations">Rescalings applied.</param>
    /// <param name="InitialVariance">Variance of the layer's output before calibration.</param>
    /// <param name="FinalVariance">Variance of the layer's output after calibration.</param>
    /// <param name="Converged">Whether the target was reached within the tolerance.</param>
    public sealed record LayerCalibration(string ParameterName, int Iterations, double InitialVariance, double FinalVariance, bool Converged);
}
