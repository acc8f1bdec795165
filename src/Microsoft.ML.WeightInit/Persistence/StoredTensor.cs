namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>One parameter tensor as stored: its state-dict name, shape and float32 values (row-major).</summary>
    internal sealed record StoredTensor(string Name, long[] Shape, float[] Values);
}
