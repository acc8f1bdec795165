using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// A seeded random sample of the search space, in one batch. Weight schemes are drawn in rounds: each round visits
    /// every weight domain once in a shuffled order, so every scheme is tried about equally often; everything else
    /// (the architecture included) is drawn uniformly. Duplicates are redrawn; a scheme with nothing new left (<c>zeros</c> drawn once already) gives
    /// its turn to the next one; a small finite space may give fewer candidates than asked. The first <c>n</c>
    /// candidates of a seed do not depend on how many are asked for, so a sweep can be extended and keeps its finished
    /// trials.
    /// </summary>
    public sealed class RandomTuner : ITuner
    {
        private const int RedrawsPerScheme = 20;

        /// <summary>Creates the tuner.</summary>
        /// <param name="searchSpace">The search space.</param>
        /// <param name="numberOfCandidates">Candidates to draw (≥ 1).</param>
        /// <param name="seed">Seed of the draws.</param>
        /// <exception cref="ArgumentException">The search space allows invalid values, or fewer than one candidate.</exception>
        public RandomTuner(InitializerSearchSpace searchSpace, int numberOfCandidates, int seed = 0)
        {
            ArgumentNullException.ThrowIfNull(searchSpace);
            searchSpace.Validate();
            if (numberOfCandidates < 1)
            {
                throw new ParameterRangeException(nameof(numberOfCandidates), numberOfCandidates, "Draw at least one candidate.");
            }
            Seed = seed;
            Candidates = Draw(searchSpace, numberOfCandidates, seed);
        }

        /// <summary>Seed of the draws.</summary>
        public int Seed { get; }

        /// <inheritdoc/>
        public IReadOnlyList<SweepCandidate> Candidates { get; }

        /// <inheritdoc/>
        public string Description => string.Create(CultureInfo.InvariantCulture, $"random(candidates={Candidates.Count}, seed={Seed})");

        /// <inheritdoc/>
        public IReadOnlyList<CandidateBudget> Propose(ICandidateScores scores) => GridTuner.OneRung(Candidates, scores);

        private static List<SweepCandidate> Draw(InitializerSearchSpace space, int n, int seed)
        {
            var random = new Random(seed);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<SweepCandidate>();
            int w = space.Weights.Count;
            int[] order = Array.Empty<int>();
            for (int i = 0; i < n; i++)
            {
                if (i % w == 0)
                {
                    order = Enumerable.Range(0, w).ToArray();
                    random.Shuffle(order);
                }
                // This slot's scheme first; when it has nothing new left (e.g. zeros, drawn already), the next ones.
                var candidate = Enumerable.Range(0, w)
                    .Select(k => space.Weights[order[(i + k) % w]])
                    .Select(domain => Enumerable.Range(0, RedrawsPerScheme).Select(_ => space.Sample(random, domain)).FirstOrDefault(c => !seen.Contains(c.Key)))
                    .FirstOrDefault(c => c is not null);
                if (candidate is null)
                {
                    break;
                }
                seen.Add(candidate.Key);
                result.Add(candidate);
            }
            return result;
        }
    }
}
