using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Training
{
    /// <summary>
    /// <see cref="TrainingSettings.SplitBatchAcrossThreads"/>: with 2 libtorch threads a batch is split into 2 parts
    /// trained on 2 worker threads; the step's gradient is the whole batch's mean-loss gradient (against float64), the
    /// fit is deterministic, networks with batch normalization are not split, native memory stays flat, and libtorch's
    /// thread counts are as they were.
    /// </summary>
    [TestClass]
    public sealed class SplitBatchTests
    {
        private static TensorDataset s_train = null!;
        private static IDataView s_view = null!;
        private static MLContext s_mlContext = null!;

        [ClassInitialize]
        public static void Setup(TestContext context)
        {
            s_mlContext = new MLContext(seed: 0);
            (s_view, _) = SampleData.Keyed(s_mlContext);
            s_train = Subset(320);
        }

        [ClassCleanup]
        public static void Cleanup() => s_train.Dispose();

        [TestMethod]
        public void SplitStep_Gradient_IsTheWholeBatchsMeanLossGradient_AgainstFloat64()
        {
            // One epoch of one 64-image step: afterwards .grad holds the step's gradient at the initial weights (the
            // optimizer does not clear it). A mean over the batch does not depend on the shuffled order.
            using var batch = Subset(64);
            foreach (var (threads, perThread) in new[] { (2, 1), (2, 2), (3, 3) })
            {
                var log = new List<string>();
                var settings = new TrainingSettings { NumberOfEpochs = 1, BatchSize = 64, NumberOfThreads = threads, LearningRate = 1e-3, SplitPartsPerThread = perThread };
                using var session = TrainingSession.Start(batch, null, settings, log.Add);
                int workers = ThreadUse.Capped(threads);
                if (workers < 2)
                {
                    Assert.Inconclusive("Needs 2 cores: one core caps the threads at 1, and a batch is then not split.");
                }
                var initial = session.Network.parameters().Select(p => p.detach().to(ScalarType.Float64)).ToArray();
                NewThread.Run(() => session.RunEpoch());
                Assert.IsTrue(log.Any(l => l.StartsWith($"Batch split: {workers * perThread} parts per batch on {workers} worker threads", StringComparison.Ordinal)), string.Join("\n", log));

                using var reference = NetworkArchitecture.MnistNet.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
                reference.to(ScalarType.Float64);
                using (no_grad())
                {
                    foreach (var (p64, value) in reference.parameters().Zip(initial))
                    {
                        p64.copy_(value);
                    }
                }
                F.nll_loss(reference.forward(batch.Features.to(ScalarType.Float64)), batch.Labels).backward();
                foreach (var ((name, p32), p64) in session.Network.named_parameters().Zip(reference.parameters()))
                {
                    Assert.IsNotNull(p32.grad, $"{name} has a gradient after the split step");
                    double error = ConvolutionCheck.RelativeError(p32.grad!, p64.grad!);
                    Assert.IsTrue(error <= 1e-4, $"{threads} threads, {perThread} parts each: gradient of {name}: relative error {error:E2} against float64");
                }
                foreach (var t in initial)
                {
                    t.Dispose();
                }
            }
        }

        [TestMethod]
        public void SplitFit_IsDeterministic_AndCloseToTheOneGraphFit()
        {
            float[][] Fit(bool split) => NewThread.Run(() =>
            {
                using var session = TrainingSession.Start(s_train, null,
                    new TrainingSettings { NumberOfEpochs = 2, NumberOfThreads = 2, SplitBatchAcrossThreads = split }, null);
                session.RunEpoch();
                session.RunEpoch();
                return session.Network.parameters().Select(p => p.data<float>().ToArray()).ToArray();
            });
            if (ThreadUse.Capped(2) < 2)
            {
                Assert.Inconclusive("Needs 2 cores.");
            }
            var first = Fit(true);
            var second = Fit(true);
            for (int i = 0; i < first.Length; i++)
            {
                CollectionAssert.AreEqual(first[i], second[i], $"parameter {i}: two split fits of the same seed");
            }
            // 10 steps of float32 rounding in a different order: the weights differ in the last digits only.
            var oneGraph = Fit(false);
            for (int i = 0; i < first.Length; i++)
            {
                double scale = oneGraph[i].Max(v => Math.Abs(v));
                double diff = first[i].Zip(oneGraph[i], (a, b) => Math.Abs(a - b)).Max();
                Assert.IsTrue(diff <= 1e-4 * scale, $"parameter {i}: split vs one graph differ by {diff:E2} (scale {scale:E2})");
            }
        }

        [TestMethod]
        public void BatchNormNetwork_OneThread_OrSplitOff_RunOneGraph()
        {
            var cases = new (TrainingSettings Settings, string Expected)[]
            {
                (new TrainingSettings { NumberOfEpochs = 1, NumberOfThreads = 2, Architecture = NetworkArchitecture.Parse("plain_cnn(depth=3, width=4, batch_norm=true)") },
                    "(batch normalization needs the whole batch)"),
                (new TrainingSettings { NumberOfEpochs = 1, NumberOfThreads = 1 }, "on 1 libtorch thread(s)"),
                (new TrainingSettings { NumberOfEpochs = 1, NumberOfThreads = 2, SplitBatchAcrossThreads = false }, $"on {ThreadUse.Capped(2)} libtorch thread(s)"),
            };
            foreach (var (settings, expected) in cases)
            {
                var log = new List<string>();
                using var data = Subset(128);
                using var session = TrainingSession.Start(data, null, settings, log.Add);
                NewThread.Run(() => session.RunEpoch());
                var line = log.Single(l => l.StartsWith("Batch split:", StringComparison.Ordinal));
                StringAssert.StartsWith(line, "Batch split: none, one graph per batch");
                StringAssert.Contains(line, expected);
            }
        }

        [TestMethod]
        public void SplitEpochs_KeepTheTensorCountFlat_AndLeaveLibtorchsThreadCountsAsTheyWere()
        {
            if (ThreadUse.Capped(2) < 2)
            {
                Assert.Inconclusive("Needs 2 cores.");
            }
            int freshBefore = NewThread.Run(get_num_threads);
            var counts = new long[4];
            int after = NewThread.Run(() =>
            {
                set_num_threads(2);
                using var session = TrainingSession.Start(s_train, null, new TrainingSettings { NumberOfEpochs = 4 }, null);
                for (int epoch = 0; epoch < 4; epoch++)
                {
                    session.RunEpoch();
                    counts[epoch] = Tensor.TotalCount;
                }
                return get_num_threads();
            });
            Assert.AreEqual(2, after, "the training thread's own count");
            Assert.AreEqual(freshBefore, NewThread.Run(get_num_threads), "the count a new thread starts with (the workers pinned 1 on theirs)");
            for (int epoch = 1; epoch < 4; epoch++)
            {
                Assert.AreEqual(counts[0], counts[epoch], $"live tensors at the end of each epoch: {string.Join(", ", counts)}");
            }
        }

        [TestMethod]
        public void PartWorkers_RunEveryPartOnce_RethrowThePartsException_AndStayUsable()
        {
            using var workers = new PartWorkers(2);
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => workers.Run(4, p =>
            {
                if (p == 1)
                {
                    throw new InvalidOperationException("part 1 failed");
                }
            }));
            Assert.AreEqual("part 1 failed", error.Message);
            foreach (int parts in new[] { 1, 2, 7 })
            {
                var runs = new int[parts];
                var threads = new int[parts];
                var names = new string?[parts];
                workers.Run(parts, p =>
                {
                    Interlocked.Increment(ref runs[p]);
                    threads[p] = get_num_threads();
                    names[p] = Thread.CurrentThread.Name;
                });
                CollectionAssert.AreEqual(Enumerable.Repeat(1, parts).ToArray(), runs, $"{parts} parts: each runs once");
                CollectionAssert.AreEqual(Enumerable.Repeat(1, parts).ToArray(), threads, "every worker runs libtorch at 1 thread");
                Assert.IsTrue(names.All(n => n is not null && n.StartsWith("WeightInit batch worker", StringComparison.Ordinal)), "parts run on the workers");
            }
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PartWorkers(1));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => workers.Run(0, _ => { }));
            var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TrainingSettings { SplitPartsPerThread = 0 }.Validate());
            Assert.AreEqual(nameof(TrainingSettings.SplitPartsPerThread), bad.ParamName);
        }

        private static TensorDataset Subset(long count) =>
            TensorDataset.FromDataView(s_mlContext.Data.TakeRows(s_view, count), SampleData.Columns, ImageShape.Mnist, 0.1307, 0.3081);
    }
}
