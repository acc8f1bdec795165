using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Successive halving (Jamieson and Talwalkar, 2016; the inner loop of Hyperband, Li et al., 2018): every
    /// candidate trains <see cref="MinEpochs"/> epochs; the best 1/<see cref="ReductionFactor"/> go on to
    /// <see cref="ReductionFactor"/> times as many epochs, and so on up to <see cref="MaxEpochs"/>. Diverged and failed
    /// candidates never go on. With the in-process runner a promoted trial continues its paused training, so a
    /// candidate stopped at rung r cost only its rung's epochs.
    /// </summary>
    public sealed class SuccessiveHalvingTuner : ITuner
    {
        private readonly string _source;

        /// <summary>Creates the tuner over given candidates (their epoch budgets are replaced by the rungs').</summary>
        /// <param name="candidates">The candidates (at least one).</param>
        /// <param name="minEpochs">Budget of the first rung (≥ 1).</param>
        /// <param name="maxEpochs">Budget of the last rung (≥ <paramref name="minEpochs"/>).</param>
        /// <param name="reductionFactor">η: one in η candidates goes on, with η times the epochs (≥ 2, default 3).</param>
        /// <param name="source">Where the candidates came from, for <see cref="Description"/>.</param>
        /// <exception cref="ArgumentException">A value out of range, or no candidate.</exception>
        public SuccessiveHalvingTuner(IEnumerable<SweepCandidate> candidates, int minEpochs, int maxEpochs, int reductionFactor = 3, string? source = null)
        {
            ArgumentNullException.ThrowIfNull(candidates);
            if (minEpochs < 1 || maxEpochs < minEpochs)
            {
                throw new ParameterRangeException(nameof(maxEpochs), $"Need 1 ≤ minEpochs ≤ maxEpochs; got {minEpochs} and {maxEpochs}.");
            }
            if (reductionFactor < 2)
            {
                throw new ParameterRangeException(nameof(reductionFactor), reductionFactor, "The reduction factor must be at least 2.");
            }
            Candidates = candidates.Select(c => c with { NumberOfEpochs = maxEpochs }).Distinct().ToList();
            if (Candidates.Count == 0)
            {
                throw new ArgumentException("Successive halving needs at least one candidate.", nameof(candidates));
            }
            MinEpochs = minEpochs;
            MaxEpochs = maxEpochs;
            ReductionFactor = reductionFactor;
            _source = source ?? string.Create(CultureInfo.InvariantCulture, $"candidates={Candidates.Count}");
        }

        /// <summary>Successive halving over a seeded random sample (see <see cref="RandomTuner"/>).</summary>
        /// <param name="searchSpace">The search space (its epoch domain is ignored).</param>
        /// <param name="numberOfCandidates">Candidates of the first rung.</param>
        /// <param name="seed">Seed of the draws.</param>
        /// <param name="minEpochs">Budget of the first rung.</param>
        /// <param name="maxEpochs">Budget of the last rung.</param>
        /// <param name="reductionFactor">η (default 3).</param>
        /// <returns>The tuner.</returns>
        public static SuccessiveHalvingTuner OverRandom(InitializerSearchSpace searchSpace, int numberOfCandidates, int seed, int minEpochs, int maxEpochs, int reductionFactor = 3)
        {
            var random = new RandomTuner(searchSpace, numberOfCandidates, seed);
            return new SuccessiveHalvingTuner(random.Candidates, minEpochs, maxEpochs, reductionFactor, random.Description);
        }

        /// <summary>Successive halving over a grid (see <see cref="GridTuner"/>).</summary>
        /// <param name="searchSpace">The search space (its epoch domain is ignored).</param>
        /// <param name="minEpochs">Budget of the first rung.</param>
        /// <param name="maxEpochs">Budget of the last rung.</param>
        /// <param name="reductionFactor">η (default 3).</param>
        /// <param name="stepsPerRange">Points per range parameter.</param>
        /// <returns>The tuner.</returns>
        public static SuccessiveHalvingTuner OverGrid(InitializerSearchSpace searchSpace, int minEpochs, int maxEpochs, int reductionFactor = 3, int stepsPerRange = 3)
        {
            var grid = new GridTuner(searchSpace, stepsPerRange);
            return new SuccessiveHalvingTuner(grid.Candidates, minEpochs, maxEpochs, reductionFactor, grid.Description);
        }

        /// <summary>Budget of the first rung.</summary>
        public int MinEpochs { get; }

        /// <summary>Budget of the last rung.</summary>
        public int MaxEpochs { get; }

        /// <summary>η.</summary>
        public int ReductionFactor { get; }

        /// <inheritdoc/>
        public IReadOnlyList<SweepCandidate> Candidates { get; }

        /// <summary>The epoch budgets of the rungs, first to last.</summary>
        public IReadOnlyList<int> RungEpochs
        {
            get
            {
                var rungs = new List<int> { MinEpochs };
                while (rungs[^1] < MaxEpochs)
                {
                    rungs.Add((int)Math.Min(MaxEpochs, (long)rungs[^1] * ReductionFactor));
                }
                return rungs;
            }
        }

        /// <inheritdoc/>
        public string Description => string.Create(CultureInfo.InvariantCulture,
            $"successive_halving(min_epochs={MinEpochs}, max_epochs={MaxEpochs}, factor={ReductionFactor}) over {_source}");

        /// <inheritdoc/>
        public IReadOnlyList<CandidateBudget> Propose(ICandidateScores scores)
        {
            ArgumentNullException.ThrowIfNull(scores);
            var rungs = RungEpochs;
            var proposed = new List<CandidateBudget>();
            IReadOnlyList<SweepCandidate> survivors = Candidates;
            for (int rung = 0; rung < rungs.Count && survivors.Count > 0; rung++)
            {
                int epochs = rungs[rung];
                int previous = rung == 0 ? 0 : rungs[rung - 1];
                bool final = rung == rungs.Count - 1;
                proposed.AddRange(survivors.Select(c => new CandidateBudget(c, epochs, rung, previous, final)));
                if (!survivors.All(c => scores.IsEvaluated(c, epochs)))
                {
                    break;
                }
                int keep = Math.Max(1, survivors.Count / ReductionFactor);
                survivors = survivors
                    .Select((c, i) => (Candidate: c, Index: i, Score: scores.Score(c, epochs)))
                    .Where(s => !double.IsNaN(s.Score))
                    .OrderByDescending(s => s.Score).ThenBy(s => s.Index)
                    .Take(keep).Select(s => s.Candidate).ToList();
            }
            return proposed;
        }
    }
}
