using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>Everything a comparison trained: one <see cref="RunResult"/> per finished (initializer, seed) run.</summary>
    /// <param name="Options">The options it ran with.</param>
    /// <param name="Initializers">Column labels, in the order given.</param>
    /// <param name="Runs">The finished runs, in planned order (seed by seed, then initializer by initializer), whatever
    /// order they finished in when several trained at once.</param>
    /// <param name="PlannedRuns">Initializers × seeds.</param>
    /// <param name="IsComplete">False when the comparison was cancelled before every run finished: the runs in progress
    /// were dropped and <see cref="Runs"/> holds the runs finished before.</param>
    /// <param name="TestSet">The test set's no-learning floors (majority share, class-prior cross-entropy).</param>
    /// <param name="TrainCount">Training images.</param>
    /// <param name="Seconds">Wall-clock time of the whole comparison, data loading excluded, in seconds (not the sum of
    /// the runs' times when several trained at once).</param>
    public sealed record ComparisonResult(
        ComparisonOptions Options,
        IReadOnlyList<string> Initializers,
        IReadOnlyList<RunResult> Runs,
        int PlannedRuns,
        bool IsComplete,
        TestSetProfile TestSet,
        long TrainCount,
        double Seconds)
    {
        /// <summary>The finished runs of one initializer, in seed order.</summary>
        /// <param name="initializer">A label of <see cref="Initializers"/>.</param>
        /// <returns>Its runs (possibly none, when cancelled).</returns>
        public IReadOnlyList<RunResult> RunsOf(string initializer) =>
            Runs.Where(r => r.Initializer == initializer).OrderBy(r => Options.Seeds.ToList().IndexOf(r.Seed)).ToList();
    }
}
