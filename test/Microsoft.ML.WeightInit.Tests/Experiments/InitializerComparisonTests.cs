using System;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Examples.Output.Comparison;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>
    /// The comparison end to end on a small part of the bundled sample (first 512 training and 300 test images, where
    /// digit 1 is the most frequent class of both: 69/512 and 41/300).
    /// </summary>
    [TestClass]
    public sealed class InitializerComparisonTests
    {
        private static MLContext s_mlContext => ComparisonSample.MLContext;
        private static IDataView s_train => ComparisonSample.Train;
        private static IDataView s_test => ComparisonSample.Test;

        [TestMethod]
        public void Comparison_RunsEveryInitializerAndSeed_WithTheArticlesBiasProtocol()
        {
            var options = new ComparisonOptions { Initializers = new[] { "pytorch_default", "xavier_uniform" }, Seeds = new long[] { 1, 2 }, TrainerOptions = { NumberOfEpochs = 2 } };

            var result = InitializerComparison.Run(s_mlContext, s_train, s_test, options);
            var summary = ComparisonSummary.Create(result);

            Assert.IsTrue(result.IsComplete);
            Assert.AreEqual(4, result.Runs.Count);
            CollectionAssert.AreEqual(new long[] { 1, 1, 2, 2 }, result.Runs.Select(r => r.Seed).ToArray());
            Assert.IsTrue(result.Runs.All(r => r.History.Count == 2 && r.Evaluation is not null), string.Join("\n", result.Runs));
            Assert.AreEqual("pytorch_default", result.RunsOf("pytorch_default")[0].BiasInitializer);
            Assert.AreEqual("zeros", result.RunsOf("xavier_uniform")[0].BiasInitializer);
            Assert.AreEqual("xavier_uniform(gain=1)", result.RunsOf("xavier_uniform")[0].WeightInitializer);
            foreach (var run in result.Runs)
            {
                // Evaluate scores the same test rows as the last epoch's test pass.
                Assert.AreEqual(run.FinalAccuracy, run.Evaluation!.MicroAccuracy, 1e-9);
                Assert.AreEqual(run.FinalLoss, run.Evaluation.LogLoss, 1e-3);
            }
            Assert.AreNotEqual(result.Runs[0].FinalLoss, result.Runs[2].FinalLoss, "seeds 1 and 2 trained the same");
            Assert.AreEqual(2, summary.Loss.Epochs);
            Assert.AreEqual(2, summary.Accuracy.Columns.Count);
            Assert.AreEqual(2, summary.Loss[2, "xavier_uniform"].N);
            Assert.AreEqual(MeanStd.Of(result.RunsOf("xavier_uniform").Select(r => r.FinalLoss)), summary.Loss[2, "xavier_uniform"]);
            Assert.AreEqual(41.0 / 300, result.TestSet.MajorityShare, 1e-12);
        }

        [TestMethod]
        public void Zeros_IsStuck_AtTheMajorityShare()
        {
            var options = new ComparisonOptions { Initializers = new[] { "zeros" }, TrainerOptions = { NumberOfEpochs = 1 } };

            var run = InitializerComparison.Run(s_mlContext, s_train, s_test, options).Runs.Single();

            Assert.AreEqual(RunStatus.Stuck, run.Status, run.Note);
            Assert.AreEqual(41.0 / 300, run.FinalAccuracy, 1e-12, "zero weights predict one class: the most frequent one");
            StringAssert.Contains(run.Note, "majority-class share");
        }

        [TestMethod]
        public void HugeLearningRate_Diverges_AndTheComparisonGoesOn()
        {
            var options = new ComparisonOptions { Initializers = new[] { "pytorch_default", "xavier_uniform" }, TrainerOptions = { NumberOfEpochs = 1, LearningRate = 1e6 } };

            var result = InitializerComparison.Run(s_mlContext, s_train, s_test, options);

            Assert.AreEqual(2, result.Runs.Count);
            foreach (var run in result.Runs)
            {
                Assert.AreEqual(RunStatus.Diverged, run.Status, run.ToString());
                Assert.AreEqual(1, run.Divergence!.Epoch);
                Assert.IsTrue(run.Divergence.Step is >= 2 and <= 8, $"step {run.Divergence.Step}");
                Assert.IsTrue(!double.IsFinite(run.Divergence.Loss) || run.Divergence.Parameter is not null, run.Divergence.ToString());
                Assert.AreEqual(0, run.History.Count);
                Assert.IsNull(run.Evaluation);
            }
            StringAssert.Contains(ComparisonSummary.Create(result).StatusOf("xavier_uniform"), "diverged ×1 (seed 1: epoch 1, step");
        }

        [TestMethod]
        public void Cancellation_StopsBetweenBatches_AndKeepsTheFinishedRuns()
        {
            using var cancellation = new CancellationTokenSource();
            // One after another: the run in progress when cancelled is run 1 (ConcurrentComparisonTests cancels two at once).
            var options = new ComparisonOptions { Initializers = new[] { "pytorch_default", "xavier_uniform", "zeros" }, MaxConcurrentRuns = 1, TrainerOptions = { NumberOfEpochs = 1 } };
            var progress = new Reporter(p =>
            {
                if (p.RunIndex == 1 && p.Training?.Step == 2)
                {
                    cancellation.Cancel();
                }
            });

            var result = InitializerComparison.Run(s_mlContext, s_train, s_test, options, progress, cancellation.Token);

            Assert.IsFalse(result.IsComplete);
            Assert.AreEqual(3, result.PlannedRuns);
            Assert.AreEqual("pytorch_default", result.Runs.Single().Initializer);
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-cancel-" + Guid.NewGuid().ToString("N"));
            try
            {
                ComparisonReportFiles.Write(directory, ComparisonSummary.Create(result), "sample");
                StringAssert.Contains(File.ReadAllText(Path.Combine(directory, ComparisonReportFiles.Markdown)), "INCOMPLETE: cancelled after 1 of 3 runs");
                Assert.IsFalse(JsonReport.Read(Path.Combine(directory, ComparisonReportFiles.Json))!.Complete);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        [TestMethod]
        public void UnknownInitializer_FailsBeforeTraining()
        {
            var options = new ComparisonOptions { Initializers = new[] { "no_such_scheme" } };

            var error = Assert.ThrowsExactly<FormatException>(() => InitializerComparison.Run(s_mlContext, s_train, s_test, options));
            StringAssert.Contains(error.Message, "no_such_scheme");
        }

        private sealed class Reporter(Action<ComparisonProgress> report) : IProgress<ComparisonProgress>
        {
            public void Report(ComparisonProgress value) => report(value);
        }
    }
}
