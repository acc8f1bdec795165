using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Training
{
    /// <summary>Options.Progress gets one report per batch, in order; mlContext.Log gets one line per epoch.</summary>
    [TestClass]
    public sealed class TrainingProgressTests
    {
        private static readonly List<TrainingProgress> s_reports = new();
        private static readonly List<(string Source, ChannelMessageKind Kind, string Message)> s_log = new();
        private static InitCnnTransformer s_model = null!;

        [ClassInitialize]
        public static void Fit(TestContext _)
        {
            var mlContext = new MLContext(seed: 0);
            mlContext.Log += (_, e) =>
            {
                lock (s_log)
                {
                    s_log.Add((e.Source, e.Kind, e.Message));
                }
            };
            var (train, _) = SampleData.Keyed(mlContext);
            var options = new InitCnnTrainer.Options
            {
                NumberOfEpochs = 2,
                BatchSize = 64,
                Progress = new Synchronous(s_reports),
            };
            s_model = mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(mlContext.Data.TakeRows(train, 600));
        }

        [ClassCleanup]
        public static void Dispose() => s_model.Dispose();

        [TestMethod]
        public void Progress_ReportsEveryBatchOfEveryEpoch_InOrder()
        {
            // 600 rows in batches of 64: 10 steps (the last of 24 rows) per epoch.
            var expected = Enumerable.Range(1, 2).SelectMany(e => Enumerable.Range(1, 10).Select(s => (e, s))).ToArray();

            CollectionAssert.AreEqual(expected, s_reports.Select(r => (r.Epoch, r.Step)).ToArray());
            Assert.IsTrue(s_reports.All(r => r.NumberOfEpochs == 2 && r.StepsPerEpoch == 10));
            Assert.IsTrue(s_reports.All(r => double.IsFinite(r.Loss) && r.Loss > 0), "losses are positive NLLs");
            Assert.IsTrue(s_reports.All(r => r.ImagesPerSecond > 0 && double.IsFinite(r.ImagesPerSecond)));
        }

        [TestMethod]
        public void Progress_LossesAverageToTheHistorysTrainingLoss()
        {
            foreach (var epoch in s_model.Model.History)
            {
                double mean = s_reports.Where(r => r.Epoch == epoch.Epoch).Average(r => r.Loss);
                Assert.AreEqual(epoch.TrainingLoss, mean, 1e-9, $"epoch {epoch.Epoch}");
            }
        }

        [TestMethod]
        public void Log_HasTheDataLineAndOneLinePerEpoch_FromTheInitCnnSource()
        {
            List<(string Source, ChannelMessageKind Kind, string Message)> lines;
            lock (s_log)
            {
                lines = s_log.Where(l => l.Source.StartsWith(InitCnnTrainer.LoadName, StringComparison.Ordinal)).ToList();
            }
            string all = string.Join("\n", lines.Select(l => l.Message));

            Assert.IsTrue(lines.Any(l => l.Kind == ChannelMessageKind.Info && l.Message.Contains("600 training images (1×28×28, 10 classes)", StringComparison.Ordinal)), all);
            foreach (var epoch in s_model.Model.History)
            {
                string loss = epoch.TrainingLoss.ToString("F4", CultureInfo.CurrentCulture);
                Assert.IsTrue(lines.Any(l => l.Message.Contains($"Epoch {epoch.Epoch}/2: training loss {loss}", StringComparison.Ordinal)), all);
            }
        }

        /// <summary>Records reports on the training thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
        private sealed class Synchronous(List<TrainingProgress> reports) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => reports.Add(value);
        }
    }
}
