using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>The sweep's knowledge as a tuner sees it: a candidate's trials at a budget are its seeds × folds.</summary>
    internal sealed class CandidateScores : ICandidateScores
    {
        private readonly IReadOnlyDictionary<string, TrialResult> _results;
        private readonly IReadOnlyList<int> _seeds;
        private readonly SweepEvaluation _evaluation;
        private readonly SweepMetric _metric;

        public CandidateScores(IReadOnlyDictionary<string, TrialResult> results, IReadOnlyList<int> seeds, SweepEvaluation evaluation, SweepMetric metric)
        {
            _results = results;
            _seeds = seeds;
            _evaluation = evaluation;
            _metric = metric;
        }

        /// <summary>The trials of a budget, candidate-major: seed by seed, fold by fold.</summary>
        public IEnumerable<TrialSpec> Trials(CandidateBudget budget) =>
            from seed in _seeds
            from fold in Enumerable.Range(0, _evaluation.Folds)
            select new TrialSpec(budget.Candidate, seed, _evaluation, fold, budget.Epochs, budget.Rung, budget.PreviousEpochs);

        public bool IsEvaluated(SweepCandidate candidate, int epochs) =>
            Trials(new CandidateBudget(candidate, epochs)).All(t => _results.ContainsKey(t.Id));

        public double Score(SweepCandidate candidate, int epochs)
        {
            var values = new List<double>();
            foreach (var t in Trials(new CandidateBudget(candidate, epochs)))
            {
                if (!_results.TryGetValue(t.Id, out var r) || r.Status != TrialStatus.Completed)
                {
                    return double.NaN;
                }
                values.Add(r.Value(_metric));
            }
            return _metric.ToScore(values.Average());
        }
    }
}
