namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>The comparison tests' data: the first 512 training and 300 test images of the bundled sample, keyed
    /// (digit 1 is the most frequent class of both: 69/512 and 41/300), loaded once.</summary>
    internal static class ComparisonSample
    {
        public static MLContext MLContext { get; } = new(seed: 0);

        public static IDataView Train { get; }

        public static IDataView Test { get; }

        static ComparisonSample() => (Train, Test) = SampleData.KeyedHead(MLContext, 512, 300);
    }
}
