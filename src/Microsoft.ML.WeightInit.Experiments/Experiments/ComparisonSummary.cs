using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// The statistics of a <see cref="ComparisonResult"/>, apart from training so they can be checked on their own:
    /// the article's two tables (average test loss and test accuracy, epochs × initializers, mean ± sample std over
    /// seeds), the Evaluate metrics per initializer, each run's status, and which differences between initializers are
    /// larger than the seed-to-seed spread.
    /// </summary>
    /// <remarks>
    /// The test: for the final epoch's average loss and accuracy separately, Welch's two-sided t-test
    /// (<see cref="WelchTest"/>) between every pair of initializers whose runs all learned (at least 2 seeds each),
    /// with Holm–Bonferroni adjustment over the pairs of that metric; a pair differs when its adjusted p &lt;
    /// <see cref="Alpha"/> (default 0.05). With one seed nothing is tested: there is no spread to compare with.
    /// </remarks>
    public sealed class ComparisonSummary
    {
        /// <summary>Name of the loss metric (the article's "Average Loss": average test NLL per image, nats).</summary>
        public const string LossMetric = "Average loss";

        /// <summary>Name of the accuracy metric (share of test images classified correctly).</summary>
        public const string AccuracyMetric = "Accuracy";

        private ComparisonSummary(ComparisonResult result, double alpha)
        {
            Result = result;
            Alpha = alpha;
            int epochs = result.Options.TrainerOptions.NumberOfEpochs;
            Loss = new SummaryTable(LossMetric, result.Initializers, epochs, (e, i) => MeanStd.Of(result.RunsOf(i).Select(r => r.LossAt(e))));
            Accuracy = new SummaryTable(AccuracyMetric, result.Initializers, epochs, (e, i) => MeanStd.Of(result.RunsOf(i).Select(r => r.AccuracyAt(e))));
            MicroAccuracy = Evaluations(r => r.MicroAccuracy);
            MacroAccuracy = Evaluations(r => r.MacroAccuracy);
            LogLoss = Evaluations(r => r.LogLoss);
            StepsToLoss = result.Initializers.ToDictionary(i => i,
                i => MeanStd.Of(result.RunsOf(i).Where(r => r.StepsToLoss is not null).Select(r => (double)r.StepsToLoss!.Value)));
            Tested = result.Initializers.Where(IsTestable).ToArray();
            Differences = Pairs(LossMetric, Loss).Concat(Pairs(AccuracyMetric, Accuracy)).ToArray();
        }

        /// <summary>The summarized comparison.</summary>
        public ComparisonResult Result { get; }

        /// <summary>Family-wise significance level of the pairwise tests (per metric, Holm-adjusted).</summary>
        public double Alpha { get; }

        /// <summary>Average test NLL (nats) per epoch and initializer.</summary>
        public SummaryTable Loss { get; }

        /// <summary>Test accuracy per epoch and initializer.</summary>
        public SummaryTable Accuracy { get; }

        /// <summary>Evaluate's MicroAccuracy per initializer, over the runs that were evaluated.</summary>
        public IReadOnlyDictionary<string, MeanStd> MicroAccuracy { get; }

        /// <summary>Evaluate's MacroAccuracy per initializer.</summary>
        public IReadOnlyDictionary<string, MeanStd> MacroAccuracy { get; }

        /// <summary>Evaluate's LogLoss per initializer.</summary>
        public IReadOnlyDictionary<string, MeanStd> LogLoss { get; }

        /// <summary>SGD steps until the mean training loss of the last <see cref="ComparisonOptions.LossWindow"/> batches
        /// reached <see cref="ComparisonOptions.LossThreshold"/>, per initializer, over the runs that reached it (see
        /// <see cref="StepsToLossText"/> for how many did).</summary>
        public IReadOnlyDictionary<string, MeanStd> StepsToLoss { get; }

        /// <summary>The "steps to reach loss L" cell of an initializer: <c>mean ± std (k/n)</c> over the k of its n runs
        /// that reached L, <c>never (0/n)</c> when none did.</summary>
        /// <param name="initializer">The initializer's label.</param>
        /// <returns>The cell text.</returns>
        public string StepsToLossText(string initializer)
        {
            var runs = Result.RunsOf(initializer);
            var steps = StepsToLoss[initializer];
            string count = string.Create(CultureInfo.InvariantCulture, $"({steps.N}/{runs.Count})");
            return steps.N == 0 ? $"never {count}"
                : steps.N == 1 ? string.Create(CultureInfo.InvariantCulture, $"{steps.Mean:F0} {count}")
                : string.Create(CultureInfo.InvariantCulture, $"{steps.Mean:F0} ± {steps.Std:F0} {count}");
        }

        /// <summary>Initializers that entered the pairwise tests: every run learned, at least 2 runs, all epochs.</summary>
        public IReadOnlyList<string> Tested { get; }

        /// <summary>Every tested pair, for the final-epoch loss then accuracy.</summary>
        public IReadOnlyList<PairwiseDifference> Differences { get; }

        /// <summary>Summarizes a comparison.</summary>
        /// <param name="result">The comparison.</param>
        /// <param name="alpha">Family-wise significance level per metric, in (0, 1); default 0.05.</param>
        /// <returns>The summary.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> not in (0, 1).</exception>
        public static ComparisonSummary Create(ComparisonResult result, double alpha = 0.05)
        {
            ArgumentNullException.ThrowIfNull(result);
            if (!(alpha > 0 && alpha < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be in (0, 1).");
            }
            return new ComparisonSummary(result, alpha);
        }

        /// <summary>How an initializer's runs ended, e.g. <c>learned ×3</c> or <c>diverged ×1 (seed 1: epoch 1, step 37)</c>.</summary>
        /// <param name="initializer">A column label.</param>
        /// <returns>The statuses in words; <c>not run</c> when the comparison was cancelled before any of its runs.</returns>
        public string StatusOf(string initializer)
        {
            var runs = Result.RunsOf(initializer);
            if (runs.Count == 0)
            {
                return "not run";
            }
            var parts = new List<string>();
            foreach (var group in runs.GroupBy(r => r.Status).OrderBy(g => g.Key))
            {
                string word = group.Key.ToString().ToLowerInvariant();
                string detail = group.Key switch
                {
                    RunStatus.Diverged => " (" + string.Join("; ", group.Select(r => string.Create(CultureInfo.InvariantCulture,
                        $"seed {r.Seed}: epoch {r.Divergence!.Epoch}, step {r.Divergence.Step}"))) + ")",
                    RunStatus.Failed => " (" + group.First().Note + ")",
                    _ => string.Empty,
                };
                parts.Add($"{word} ×{group.Count()}{detail}");
            }
            return string.Join(", ", parts);
        }

        /// <summary>
        /// Plain sentences for a report: completeness, the test used and its threshold, which final-epoch differences
        /// are larger than the seed-to-seed spread, and which initializers were left out and why.
        /// </summary>
        /// <returns>One sentence per line.</returns>
        public IReadOnlyList<string> Statement()
        {
            var c = CultureInfo.InvariantCulture;
            var lines = new List<string>();
            var r = Result;
            if (!r.IsComplete)
            {
                lines.Add(string.Create(c, $"INCOMPLETE: cancelled after {r.Runs.Count} of {r.PlannedRuns} runs; the tables hold the finished runs only."));
            }
            int maxRuns = r.Initializers.Max(i => r.RunsOf(i).Count);
            int epoch = r.Options.TrainerOptions.NumberOfEpochs;
            if (maxRuns < 2)
            {
                lines.Add("One seed per initializer: the seed-to-seed spread cannot be measured, so no difference between initializers is claimed to exceed it. Run several seeds (e.g. --seeds 1,2,3) for that.");
            }
            else
            {
                lines.Add(string.Create(c,
                    $"Test: Welch's two-sided t-test on the epoch-{epoch} values over seeds, for every pair of initializers whose runs all learned, Holm–Bonferroni-adjusted over the pairs of each metric; a difference is called larger than the seed-to-seed spread when the adjusted p < {Alpha:G3}."));
                foreach (string metric in new[] { LossMetric, AccuracyMetric })
                {
                    var pairs = Differences.Where(d => d.Metric == metric).ToList();
                    var significant = pairs.Where(d => d.Significant).ToList();
                    const string format = "F4";
                    if (pairs.Count == 0)
                    {
                        lines.Add($"{metric}: fewer than two initializers could be tested.");
                    }
                    else if (significant.Count == 0)
                    {
                        lines.Add(string.Create(c, $"{metric}: none of the {pairs.Count} pairs differs by more than the seed-to-seed spread."));
                    }
                    else
                    {
                        var described = significant.Select(d =>
                        {
                            var (lo, hi, mlo, mhi) = d.ValuesA.Mean <= d.ValuesB.Mean
                                ? (d.A, d.B, d.ValuesA, d.ValuesB) : (d.B, d.A, d.ValuesB, d.ValuesA);
                            return string.Create(c,
                                $"{lo} ({mlo.Mean.ToString(format, c)} ± {mlo.Std.ToString(format, c)}) < {hi} ({mhi.Mean.ToString(format, c)} ± {mhi.Std.ToString(format, c)}), p_adj = {d.AdjustedP:G2}");
                        });
                        lines.Add(string.Create(c, $"{metric}: {significant.Count} of {pairs.Count} pairs differ beyond the seed-to-seed spread: ") + string.Join("; ", described) + ". The other pairs do not.");
                    }
                }
            }
            var failures = r.Initializers.Where(i => r.RunsOf(i).Any(run => run.Status != RunStatus.Learned)).ToList();
            var fewRuns = r.Initializers.Where(i => !Tested.Contains(i) && !failures.Contains(i)).ToList();
            if (maxRuns >= 2 && failures.Count + fewRuns.Count > 0)
            {
                lines.Add("Not tested: " + string.Join("; ", new[]
                {
                    failures.Count > 0 ? string.Join(", ", failures) + " (not every run learned)" : null,
                    fewRuns.Count > 0 ? string.Join(", ", fewRuns) + " (fewer than 2 finished runs)" : null,
                }.Where(x => x is not null)) + ".");
            }
            if (failures.Count > 0)
            {
                lines.Add(string.Create(c,
                    $"Stuck means final accuracy ≤ majority-class share {r.TestSet.MajorityShare:F4} + {r.Options.LearningCriterion.AccuracyMargin:G3} or final loss ≥ class-prior cross-entropy {r.TestSet.PriorCrossEntropy:F4} − {r.Options.LearningCriterion.LossMargin:G3}; diverged means a NaN/∞ training loss or parameter. ")
                    + string.Join("; ", failures.Select(i => $"{i}: {StatusOf(i)}")) + ".");
            }
            return lines;
        }

        private Dictionary<string, MeanStd> Evaluations(Func<EvaluationMetrics, double> metric) =>
            Result.Initializers.ToDictionary(i => i,
                i => MeanStd.Of(Result.RunsOf(i).Where(r => r.Evaluation is not null).Select(r => metric(r.Evaluation!))));

        private bool IsTestable(string initializer)
        {
            var runs = Result.RunsOf(initializer);
            return runs.Count >= 2 && runs.All(r => r.Status == RunStatus.Learned && r.History.Count == Result.Options.TrainerOptions.NumberOfEpochs);
        }

        private IEnumerable<PairwiseDifference> Pairs(string metric, SummaryTable table)
        {
            int epoch = table.Epochs;
            var raw = new List<(string A, string B, MeanStd VA, MeanStd VB, WelchTest Test)>();
            for (int i = 0; i < Tested.Count; i++)
            {
                for (int j = i + 1; j < Tested.Count; j++)
                {
                    var a = table[epoch, Tested[i]];
                    var b = table[epoch, Tested[j]];
                    raw.Add((Tested[i], Tested[j], a, b, WelchTest.Of(a, b)));
                }
            }
            var adjusted = HolmBonferroni.Adjust(raw.Select(p => p.Test.P).ToArray());
            return raw.Select((p, k) => new PairwiseDifference(metric, p.A, p.B, p.VA, p.VB, p.Test, adjusted[k], adjusted[k] < Alpha));
        }
    }
}
