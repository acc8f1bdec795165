using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Training;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>Hand-made comparison results (no training) with known numbers, for the statistics and the writers.</summary>
    internal static class SyntheticComparison
    {
        /// <summary>1,000 test images: class 0 has 20 %, classes 1–8 10 % each, class 9 none.</summary>
        public static readonly TestSetProfile Profile = new(new long[] { 200, 100, 100, 100, 100, 100, 100, 100, 100, 0 });

        public static RunResult Run(string initializer, long seed, double[] losses, double[] accuracies,
            RunStatus status = RunStatus.Learned, RunDivergence? divergence = null, EvaluationMetrics? evaluation = null)
        {
            var history = losses.Select((l, i) => new EpochMetrics(i + 1, l * 1.1, l, accuracies[i], 10 + i, 6000 + i) { NumberOfThreads = 1 + i % 2 }).ToArray();
            return new RunResult(initializer, initializer + "(x=1)", "zeros", seed, status, history, divergence,
                evaluation ?? (status == RunStatus.Diverged ? null
                    : new EvaluationMetrics(accuracies[^1], accuracies[^1] - 0.001, losses[^1] + 0.0001, 0.9)),
                12.5, status == RunStatus.Learned ? null : "synthetic");
        }

        /// <summary>
        /// Three initializers, three seeds, two epochs:
        /// a: epoch-2 losses 0.10, 0.12, 0.14 (mean 0.12, std 0.02), accuracies 0.97, 0.98, 0.995;
        /// b: losses 0.50, 0.51, 0.52 (clearly worse than a), accuracies 0.90, 0.91, 0.92;
        /// z: stuck (loss 2.3 every seed); seed 3 of "c" diverged in epoch 2 step 7.
        /// </summary>
        public static ComparisonResult ThreeSeeds(bool complete = true)
        {
            var runs = new List<RunResult>
            {
                Run("a", 1, new[] { 0.20, 0.10 }, new[] { 0.95, 0.97 }),
                Run("b", 1, new[] { 0.60, 0.50 }, new[] { 0.88, 0.90 }),
                Run("z", 1, new[] { 2.30, 2.30 }, new[] { 0.20, 0.20 }, RunStatus.Stuck),
                Run("c", 1, new[] { 0.30, 0.20 }, new[] { 0.93, 0.94 }),
                Run("a", 2, new[] { 0.22, 0.12 }, new[] { 0.96, 0.98 }),
                Run("b", 2, new[] { 0.61, 0.51 }, new[] { 0.89, 0.91 }),
                Run("z", 2, new[] { 2.30, 2.30 }, new[] { 0.20, 0.20 }, RunStatus.Stuck),
                Run("c", 2, new[] { 0.32, 0.22 }, new[] { 0.92, 0.95 }),
                Run("a", 3, new[] { 0.24, 0.14 }, new[] { 0.97, 0.995 }),
                Run("b", 3, new[] { 0.62, 0.52 }, new[] { 0.90, 0.92 }),
                Run("z", 3, new[] { 2.30, 2.30 }, new[] { 0.20, 0.20 }, RunStatus.Stuck),
                Run("c", 3, new[] { 0.34 }, new[] { 0.91 }, RunStatus.Diverged, new RunDivergence(2, 7, double.NaN)),
            };
            if (!complete)
            {
                runs = runs.Take(5).ToList();
            }
            var options = new ComparisonOptions { Initializers = new[] { "a", "b", "z", "c" }, Seeds = new long[] { 1, 2, 3 }, TrainerOptions = { NumberOfEpochs = 2 } };
            return new ComparisonResult(options, options.Initializers, runs, 12, complete, Profile, 60000, 123.4);
        }

        /// <summary>One seed, two initializers, one epoch.</summary>
        public static ComparisonResult OneSeed()
        {
            var options = new ComparisonOptions { Initializers = new[] { "a", "b" }, Seeds = new long[] { 7 }, TrainerOptions = { NumberOfEpochs = 1 } };
            var runs = new[] { Run("a", 7, new[] { 0.1 }, new[] { 0.97 }), Run("b", 7, new[] { 0.5 }, new[] { 0.90 }) };
            return new ComparisonResult(options, options.Initializers, runs, 2, true, Profile, 60000, 1);
        }
    }
}
