namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>Which fan Keras' <c>VarianceScaling</c> divides the scale by (its <c>mode</c> argument).</summary>
    public enum VarianceScalingMode
    {
        /// <summary><c>fan_in</c>: the number of inputs of a unit (size(1) × receptive field).</summary>
        FanIn,

        /// <summary><c>fan_out</c>: the number of outputs (size(0) × receptive field).</summary>
        FanOut,

        /// <summary><c>fan_avg</c>: (fan_in + fan_out) / 2.</summary>
        FanAvg,
    }
}
