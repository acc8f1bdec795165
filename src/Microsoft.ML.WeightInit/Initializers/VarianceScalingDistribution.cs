namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Which distribution Keras' <c>VarianceScaling</c> draws from (its <c>distribution</c> argument).</summary>
    public enum VarianceScalingDistribution
    {
        /// <summary>
        /// <c>truncated_normal</c>: a zero-mean normal cut at ±2 of its standard deviation, whose standard deviation is
        /// √(scale / n) / 0.87962566103423978 so that the standard deviation after truncation is √(scale / n).
        /// </summary>
        TruncatedNormal,

        /// <summary><c>normal</c> (Keras: <c>untruncated_normal</c>): N(0, scale / n).</summary>
        Normal,

        /// <summary><c>uniform</c>: U(−√(3·scale / n), √(3·scale / n)).</summary>
        Uniform,
    }
}
