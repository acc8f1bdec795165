using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Training
{
    /// <summary>
    /// NumberOfThreads = N pins N on the thread that trains and every epoch records the count that ran; the default
    /// records libtorch's count as it was; the record survives save and load.
    /// </summary>
    [TestClass]
    public sealed class ThreadCountTests
    {
        private static TensorDataset s_train = null!;

        [ClassInitialize]
        public static void Setup(TestContext context)
        {
            var mlContext = new MLContext(seed: 0);
            var (train, _) = SampleData.Keyed(mlContext);
            s_train = TensorDataset.FromDataView(mlContext.Data.TakeRows(train, 256), SampleData.Columns, ImageShape.Mnist, 0.1307, 0.3081);
        }

        [ClassCleanup]
        public static void Cleanup() => s_train.Dispose();

        [TestMethod]
        public void NumberOfThreads_PinsN_OnTheThreadThatRunsTheEpochs_AndEveryEpochRecordsN()
        {
            if (Environment.ProcessorCount < 2)
            {
                Assert.Inconclusive("Needs 2 cores to tell 1 thread from the other count.");
            }
            foreach (int n in new[] { 1, 2 })
            {
                int other = n == 1 ? 2 : 1;
                var log = new List<string>();
                // Started on this thread, trained on another whose libtorch count is the other one: libtorch keeps the
                // count per thread, so a pin made only at start would not hold there.
                using var session = TrainingSession.Start(s_train, null, new TrainingSettings { NumberOfEpochs = 2, NumberOfThreads = n }, log.Add);
                var (recorded, after) = NewThread.Run(() =>
                {
                    torch.set_num_threads(other);
                    session.RunEpoch();
                    session.RunEpoch();
                    return (session.History.Select(e => e.NumberOfThreads).ToArray(), torch.get_num_threads());
                });
                CollectionAssert.AreEqual(new[] { n, n }, recorded, $"NumberOfThreads = {n}");
                Assert.AreEqual(n, after);
                Assert.IsTrue(log.Any(l => l.StartsWith($"Threads: {n} (pinned by NumberOfThreads)", StringComparison.Ordinal)), string.Join("\n", log));
                Assert.IsTrue(log.Any(l => l.StartsWith("Epoch 2/2", StringComparison.Ordinal) && l.EndsWith($", {n} threads", StringComparison.Ordinal)), string.Join("\n", log));
            }
        }

        [TestMethod]
        public void NumberOfThreadsAboveTheCores_IsCapped_AndTheCappedCountIsRecorded()
        {
            var log = new List<string>();
            int cores = Environment.ProcessorCount;
            var history = NewThread.Run(() => TrainingLoop.Run(s_train, null, new TrainingSettings { NumberOfEpochs = 1, NumberOfThreads = cores + 3 }, log: log.Add))
                .History;
            Assert.AreEqual(cores, history.Single().NumberOfThreads);
            Assert.IsTrue(log.Any(l => l.Contains($"NumberOfThreads {cores + 3} capped at {cores}", StringComparison.Ordinal)), string.Join("\n", log));
        }

        [TestMethod]
        public void Default_RecordsTheCountThatRan_NotTheSetting()
        {
            foreach (int running in new[] { 1, Environment.ProcessorCount })
            {
                var log = new List<string>();
                var outcome = NewThread.Run(() =>
                {
                    torch.set_num_threads(running);
                    return TrainingLoop.Run(s_train, null, new TrainingSettings { NumberOfEpochs = 1 }, log: log.Add);
                });
                outcome.Network.Dispose();
                Assert.AreEqual(running, outcome.History.Single().NumberOfThreads, $"libtorch ran {running} threads");
                Assert.IsTrue(log.Any(l => l.StartsWith($"Threads: {running} (NumberOfThreads = 0", StringComparison.Ordinal)), string.Join("\n", log));
                Assert.IsTrue(log.Any(l => l.Contains("OpenMP wait policy: ", StringComparison.Ordinal)), string.Join("\n", log));
            }
        }

        [TestMethod]
        public void InitialWeights_DoNotDependOnTheThreadCount()
        {
            // Initialization draws from a seeded generator: the thread count must not change a bit of it.
            float[][] Initial(int threads) => NewThread.Run(() =>
            {
                using var session = TrainingSession.Start(s_train, null, new TrainingSettings { NumberOfThreads = threads }, null);
                return session.Network.parameters().Select(p => p.data<float>().ToArray()).ToArray();
            });
            var one = Initial(1);
            var all = Initial(Environment.ProcessorCount);
            Assert.AreEqual(one.Length, all.Length);
            for (int i = 0; i < one.Length; i++)
            {
                CollectionAssert.AreEqual(one[i], all[i], $"parameter {i}");
            }
        }

        [TestMethod]
        public void TheRecordedCount_RoundTripsThroughTheModelZip()
        {
            var original = SampleModel.Cnn.Model.History;
            Assert.IsTrue(original.All(e => e.NumberOfThreads >= 1 && e.NumberOfThreads <= Environment.ProcessorCount), "the fit recorded its count");
            var mlContext = new MLContext(seed: 0);
            using var zip = new MemoryStream();
            mlContext.Model.Save(SampleModel.Model, SampleModel.Train.Schema, zip);
            zip.Position = 0;
            var loaded = ((IEnumerable<ITransformer>)mlContext.Model.LoadInitCnn(zip, out _)).OfType<InitCnnTransformer>().Single();
            CollectionAssert.AreEqual(original.Select(e => e.NumberOfThreads).ToArray(), loaded.Model.History.Select(e => e.NumberOfThreads).ToArray());
            CollectionAssert.AreEqual(original.ToArray(), loaded.Model.History.ToArray());
        }
    }
}
