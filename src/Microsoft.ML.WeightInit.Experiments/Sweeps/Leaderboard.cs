using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// The candidates of a sweep, best first. Order: the furthest rung reached; then candidates whose trials all
    /// completed before those with a diverged or failed trial; then the metric's mean (better first); then the
    /// candidate's key, so equal inputs always give the same order.
    /// </summary>
    public sealed class Leaderboard
    {
        private Leaderboard(SweepMetric metric, IReadOnlyList<CandidateSummary> rows)
        {
            Metric = metric;
            Rows = rows;
        }

        /// <summary>The metric ranked by.</summary>
        public SweepMetric Metric { get; }

        /// <summary>The candidates, best first.</summary>
        public IReadOnlyList<CandidateSummary> Rows { get; }

        /// <summary>The best candidate with at least one completed trial and none diverged or failed, or null.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public CandidateSummary? Best => Rows.FirstOrDefault(r => r.Status is CandidateStatus.Completed or CandidateStatus.Incomplete && r.Metric.N > 0);

        /// <summary>Ranks the candidates of <paramref name="trials"/>.</summary>
        /// <param name="trials">Trial results (any order; a candidate is summarized at its furthest budget).</param>
        /// <param name="metric">The metric to rank by.</param>
        /// <param name="trialsPerBudget">Trials a candidate needs at a budget (seeds × folds); fewer is Incomplete.</param>
        /// <returns>The leaderboard.</returns>
        public static Leaderboard Create(IEnumerable<TrialResult> trials, SweepMetric metric, int trialsPerBudget)
        {
            ArgumentNullException.ThrowIfNull(trials);
            var rows = trials
                .GroupBy(t => t.Spec.Candidate)
                .Select(g => Summarize(g.ToList(), metric, trialsPerBudget))
                .OrderByDescending(r => r.Rung)
                .ThenBy(r => r.Status is CandidateStatus.Diverged or CandidateStatus.Failed ? 1 : 0)
                .ThenBy(r => r.Metric.N == 0 ? 1 : 0)
                .ThenByDescending(r => r.Metric.N == 0 ? 0 : metric.ToScore(r.Metric.Mean))
                .ThenBy(r => r.Candidate.Key, StringComparer.Ordinal)
                .Select((r, i) => r with { Rank = i + 1 })
                .ToList();
            return new Leaderboard(metric, rows);
        }

        private static CandidateSummary Summarize(List<TrialResult> trials, SweepMetric metric, int trialsPerBudget)
        {
            int rung = trials.Max(t => t.Spec.Rung);
            int epochs = trials.Where(t => t.Spec.Rung == rung).Max(t => t.Spec.Epochs);
            var last = trials.Where(t => t.Spec.Rung == rung && t.Spec.Epochs == epochs).ToList();
            var completed = last.Where(t => t.Status == TrialStatus.Completed).ToList();
            int diverged = last.Count(t => t.Status == TrialStatus.Diverged);
            int failed = last.Count(t => t.Status == TrialStatus.Failed);
            var status = diverged > 0 ? CandidateStatus.Diverged
                : failed > 0 ? CandidateStatus.Failed
                : last.Count < trialsPerBudget ? CandidateStatus.Incomplete
                : CandidateStatus.Completed;
            var best = completed.OrderByDescending(t => metric.ToScore(t.Value(metric))).FirstOrDefault();
            return new CandidateSummary
            {
                Candidate = trials[0].Spec.Candidate,
                Status = status,
                Epochs = epochs,
                Rung = rung,
                Trials = last.Count,
                Diverged = diverged,
                Failed = failed,
                Metric = MeanStd.Of(completed.Select(t => t.Value(metric))),
                MicroAccuracy = MeanStd.Of(completed.Select(t => t.Metrics!.MicroAccuracy)),
                MacroAccuracy = MeanStd.Of(completed.Select(t => t.Metrics!.MacroAccuracy)),
                LogLoss = MeanStd.Of(completed.Select(t => t.Metrics!.LogLoss)),
                EpochsTrained = trials.Sum(t => t.EpochsTrained),
                Seconds = trials.Sum(t => t.Seconds),
                BestTrialId = best?.Id,
            };
        }
    }
}
