namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>Which part of MNIST to load.</summary>
    public enum MnistSplit
    {
        /// <summary>The training set: <c>train-images-idx3-ubyte</c> / <c>train-labels-idx1-ubyte</c>
        /// (60,000 images; 6,000 in the bundled sample).</summary>
        Train,

        /// <summary>The test set: <c>t10k-images-idx3-ubyte</c> / <c>t10k-labels-idx1-ubyte</c>
        /// (10,000 images; 1,000 in the bundled sample).</summary>
        Test,
    }
}
