using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Trainers
{
    /// <summary>Divergence, cancellation, long runs and concurrent scoring: nothing leaks, nothing is silently wrong.</summary>
    [TestClass]
    public sealed class InitCnnTrainerFaultTests
    {
        private readonly MLContext _mlContext = new(seed: 0);

        [TestMethod]
        public void DivergingLoss_StopsTheFit_SayingWhere()
        {
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 3, LearningRate = 1e4, Momentum = 0.9 };

            var e = Assert.ThrowsExactly<TrainingDivergedException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(Train(640)));

            Assert.IsTrue(e.Epoch >= 1 && e.Step >= 1, $"epoch {e.Epoch}, step {e.Step}");
            Assert.IsFalse(double.IsFinite(e.Loss));
            Assert.AreEqual(e.Epoch - 1, e.CompletedEpochs.Count);
            StringAssert.Contains(e.Message, $"epoch {e.Epoch}, step {e.Step}");
        }

        [TestMethod]
        public void WeightsBlownUpByAnEpochsLastStep_StopTheFit_NoModelScoringNaNIsReturned()
        {
            // One step per epoch: its loss is computed before its update, so it is finite while the update (a step
            // size near float32's largest) leaves weights whose forward pass overflows, and no later step shows it.
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1, BatchSize = 64, LearningRate = 3e38 };

            var e = Assert.ThrowsExactly<TrainingDivergedException>(() =>
                _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(Train(64)));

            Assert.AreEqual(1, e.Epoch);
            Assert.AreEqual(1, e.Step);
            Assert.IsTrue(e.Parameter is not null || !double.IsFinite(e.Loss), $"loss {e.Loss}, parameter {e.Parameter}");
            Assert.IsEmpty(e.CompletedEpochs);
            StringAssert.Contains(e.Message, "at epoch 1, step 1");
        }

        [TestMethod]
        public void Cancellation_DuringFit_ReturnsPromptly_AndLeavesNoTensorBehind()
        {
            var data = Train(2000);
            using var cancellation = new CancellationTokenSource();
            var watch = new Stopwatch();
            var options = new InitCnnTrainer.Options
            {
                NumberOfEpochs = 50,
                CancellationToken = cancellation.Token,
                Progress = new Inline<TrainingProgress>(p =>
                {
                    if (p.Epoch == 1 && p.Step == 5)
                    {
                        watch.Start();
                        cancellation.Cancel();
                    }
                }),
            };
            _ = Microsoft.ML.WeightInit.Networks.ConvolutionPathSelector.Current; // libtorch loaded and the convolution check run before counting
            _ = ParameterCountArtifact;
            var trainer = _mlContext.MulticlassClassification.Trainers.InitCnn(options);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = torch.Tensor.TotalCount;

            Assert.ThrowsExactly<OperationCanceledException>(() => trainer.Fit(data));

            Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(1), $"Fit returned {watch.Elapsed.TotalMilliseconds:F0} ms after cancellation");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.AreEqual(before + ParameterCountArtifact, torch.Tensor.TotalCount, "live tensors after a cancelled fit");
        }

        [TestMethod]
        public void SoakOf300Batches_KeepsTensorCountAndMemoryFlat()
        {
            // 6 epochs × 50 batches of 64 on 3,200 images: tensor count and RSS read at every epoch end.
            var counts = new long[7];
            var rss = new long[7];
            var options = new InitCnnTrainer.Options
            {
                NumberOfEpochs = 6,
                Progress = new Inline<TrainingProgress>(p =>
                {
                    if (p.Step == p.StepsPerEpoch)
                    {
                        counts[p.Epoch] = torch.Tensor.TotalCount;
                        rss[p.Epoch] = Process.GetCurrentProcess().WorkingSet64;
                    }
                }),
            };

            using var model = _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(Train(3200));

            Assert.AreEqual(6, model.Model.History.Count);
            for (int epoch = 3; epoch <= 6; epoch++)
            {
                Assert.AreEqual(counts[2], counts[epoch], $"live tensors at the end of epoch {epoch} vs epoch 2: {string.Join(", ", counts.Skip(1))}");
            }
            long growth = rss[6] - rss[2];
            Assert.IsTrue(growth < 50L << 20, $"RSS grew {growth >> 20} MB from epoch 2 to 6: {string.Join(", ", rss.Skip(1).Select(r => r >> 20))} MB");
        }

        [TestMethod]
        public void ManyFits_InOneProcess_DoNotLeak()
        {
            const int fits = 20;
            var data = Train(256);
            var options = new InitCnnTrainer.Options { NumberOfEpochs = 1 };
            _ = ParameterCountArtifact;
            // Warm-up: the same work as the loop (fit, then evaluate, which the first version of this test left out), so
            // that first-use allocations (allocator arenas, scoring buffers, JIT) are in the baseline, not the growth.
            for (int i = 0; i < 2; i++)
            {
                using var model = _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(data);
                _ = _mlContext.MulticlassClassification.Evaluate(model.Transform(data));
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long tensors = torch.Tensor.TotalCount;
            long rss = Process.GetCurrentProcess().WorkingSet64;

            long half = 0;
            for (int i = 0; i < fits; i++)
            {
                using (var model = _mlContext.MulticlassClassification.Trainers.InitCnn(options).Fit(data))
                {
                    _ = _mlContext.MulticlassClassification.Evaluate(model.Transform(data));
                }
                if (i == fits / 2 - 1)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    half = Process.GetCurrentProcess().WorkingSet64;
                }
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.AreEqual(tensors + fits * ParameterCountArtifact, torch.Tensor.TotalCount, $"live tensors after {fits} fit + evaluate + dispose");
            // Each fit allocates ~6 MB natively (weights, gradients, momentum): a leak grows the RSS by that much per fit,
            // in the second half of the loop as in the first (≥ 60 MB over 10 fits). The allocator's arenas (more of them
            // when other programs load the machine and threads migrate) grow early and then stay: the second half is
            // the measure, the whole loop only a coarse bound.
            long end = Process.GetCurrentProcess().WorkingSet64;
            Assert.IsTrue(end - half < 30L << 20, $"RSS grew {(end - half) >> 20} MB over the last {fits - fits / 2} fits ({(half - rss) >> 20} MB over the first {fits / 2})");
            Assert.IsTrue(end - rss < 150L << 20, $"RSS grew {(end - rss) >> 20} MB over {fits} fits");
        }

        [TestMethod]
        public void Transform_FromSeveralThreads_GivesTheSameScoresAsFromOne()
        {
            var data = Train(1000);
            using var model = _mlContext.MulticlassClassification.Trainers.InitCnn(new InitCnnTrainer.Options { NumberOfEpochs = 1 }).Fit(Train(600));
            float[] Scores() => _mlContext.Data.CreateEnumerable<Scored>(model.Transform(data), reuseRowObject: false)
                .SelectMany(s => s.Score).ToArray();
            var expected = Scores();

            var results = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Scores))).GetAwaiter().GetResult();

            foreach (var scores in results)
            {
                CollectionAssert.AreEqual(expected, scores);
            }
        }

        /// <summary>
        /// TorchSharp 0.107 counts a tensor moved into a <c>Parameter</c> as still live (its Parameter constructor
        /// moves the handle out without updating the count), so every network adds its parameter count to
        /// <see cref="torch.Tensor.TotalCount"/> for good; the memory itself is freed (the RSS checks show it).
        /// </summary>
        private static readonly long ParameterCountArtifact = CountParameters();

        private static long CountParameters()
        {
            using var net = new Microsoft.ML.WeightInit.Networks.MnistCnn(Microsoft.ML.WeightInit.Networks.ImageShape.Mnist, Microsoft.ML.WeightInit.Networks.ConvolutionPath.Im2Col);
            return net.parameters().Count();
        }

        private IDataView Train(int rows)
        {
            var sample = _mlContext.Data.TakeRows(_mlContext.Data.LoadMnistSample(MnistSplit.Train), rows);
            return _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(sample).Transform(sample);
        }

        private sealed class Inline<T>(Action<T> report) : IProgress<T>
        {
            public void Report(T value) => report(value);
        }

        private sealed class Scored
        {
            public float[] Score { get; set; } = Array.Empty<float>();
        }
    }
}
