using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>Every candidate of a grid over the search space, each at its own epoch budget, in one batch.</summary>
    public sealed class GridTuner : ITuner
    {
        /// <summary>Creates the tuner.</summary>
        /// <param name="searchSpace">The search space.</param>
        /// <param name="stepsPerRange">Points per range parameter (default 3: both ends and the middle).</param>
        /// <exception cref="ArgumentException">The search space allows invalid values.</exception>
        public GridTuner(InitializerSearchSpace searchSpace, int stepsPerRange = 3)
        {
            ArgumentNullException.ThrowIfNull(searchSpace);
            searchSpace.Validate();
            StepsPerRange = stepsPerRange;
            Candidates = searchSpace.Grid(stepsPerRange);
        }

        /// <summary>Points per range parameter.</summary>
        public int StepsPerRange { get; }

        /// <inheritdoc/>
        public IReadOnlyList<SweepCandidate> Candidates { get; }

        /// <inheritdoc/>
        public string Description => string.Create(CultureInfo.InvariantCulture, $"grid(steps_per_range={StepsPerRange}, candidates={Candidates.Count})");

        /// <inheritdoc/>
        public IReadOnlyList<CandidateBudget> Propose(ICandidateScores scores) => OneRung(Candidates, scores);

        /// <summary>All candidates at their own budget.</summary>
        internal static IReadOnlyList<CandidateBudget> OneRung(IReadOnlyList<SweepCandidate> candidates, ICandidateScores scores)
        {
            ArgumentNullException.ThrowIfNull(scores);
            return candidates.Select(c => new CandidateBudget(c, c.NumberOfEpochs)).ToList();
        }
    }
}
