namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>Where a run's training loss stopped being finite.</summary>
    /// <param name="Epoch">1-based epoch.</param>
    /// <param name="Step">1-based batch within that epoch.</param>
    /// <param name="Loss">The batch loss seen: NaN or ±∞, or still finite when a parameter went non-finite first.</param>
    /// <param name="Parameter">The parameter that became NaN or ∞ (e.g. <c>fc1.weight</c>), or null when the loss did.</param>
    public sealed record RunDivergence(int Epoch, int Step, double Loss, string? Parameter = null);
}
