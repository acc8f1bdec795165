namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// How the network's 2-D convolutions are computed. libtorch picks a kernel by memory layout; on some CPUs one of
    /// them is wrong (libtorch 2.10's oneDNN blocked layout on AVX-512 when an operand has 20 channels), so the path
    /// is chosen by a check against a float64 reference (<see cref="ConvolutionPathSelector"/>).
    /// </summary>
    public enum ConvolutionPath
    {
        /// <summary>libtorch's own dispatch on contiguous NCHW tensors (oneDNN blocked layout on x86).</summary>
        Native,

        /// <summary>The same operator on channels-last strided input and weight (NHWC in memory, NCHW logically).</summary>
        ChannelsLast,

        /// <summary>im2col: <c>unfold</c> the input into columns and multiply by the flattened weight (one GEMM).</summary>
        Im2Col,
    }
}
