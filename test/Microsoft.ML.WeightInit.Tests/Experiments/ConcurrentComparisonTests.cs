using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>
    /// <see cref="ComparisonOptions.MaxConcurrentRuns"/>: several runs at once on dedicated threads, on a small part of
    /// the bundled sample (first 512 training images, 8 steps of 64 per epoch, and 300 test images), one epoch.
    /// </summary>
    [TestClass]
    public sealed class ConcurrentComparisonTests
    {
        private static MLContext s_mlContext => ComparisonSample.MLContext;
        private static IDataView s_train => ComparisonSample.Train;
        private static IDataView s_test => ComparisonSample.Test;

        [TestMethod]
        public void TwoAtOnce_GiveBitIdenticalResults_ToOneAfterAnother_AtOneThreadEach()
        {
            ComparisonOptions Options(int concurrent) => new()
            {
                Initializers = new[] { "pytorch_default", "xavier_uniform", "kaiming_normal" },
                Seeds = new long[] { 4 },
                MaxConcurrentRuns = concurrent,
                TrainerOptions = { NumberOfEpochs = 1, NumberOfThreads = 1 },
            };
            var sequentialActivity = new Activity();
            var concurrentActivity = new Activity();

            var sequential = InitializerComparison.Run(s_mlContext, s_train, s_test, Options(1), sequentialActivity);
            var concurrent = InitializerComparison.Run(s_mlContext, s_train, s_test, Options(2), concurrentActivity);

            Assert.AreEqual(1, sequentialActivity.MaxActive);
            Assert.AreEqual(2, concurrentActivity.MaxActive, "the runs did not train at once");
            Assert.IsTrue(sequential.IsComplete && concurrent.IsComplete);
            Assert.AreEqual(3, concurrent.Runs.Count);
            for (int i = 0; i < 3; i++)
            {
                var (a, b) = (sequential.Runs[i], concurrent.Runs[i]);
                Assert.AreEqual(a.Initializer, b.Initializer);
                Assert.AreEqual(a.Status, b.Status, b.Note);
                Assert.AreEqual(1, b.History.Count);
                Assert.AreEqual(1, b.History[0].NumberOfThreads, "NumberOfThreads = 1 is pinned");
                Assert.AreEqual(a.History[0].TrainingLoss, b.History[0].TrainingLoss, 0.0, $"{a.Initializer} training loss");
                Assert.AreEqual(a.History[0].ValidationLoss, b.History[0].ValidationLoss, 0.0, $"{a.Initializer} test loss");
                Assert.AreEqual(a.History[0].ValidationAccuracy, b.History[0].ValidationAccuracy, 0.0, $"{a.Initializer} test accuracy");
                Assert.AreEqual(a.StepsToLoss, b.StepsToLoss);
                Assert.AreEqual(a.Evaluation, b.Evaluation, $"{a.Initializer} Evaluate");
            }
            Assert.AreNotEqual(concurrent.Runs[0].FinalLoss, concurrent.Runs[1].FinalLoss, "two initializers trained the same");
        }

        [TestMethod]
        public void Results_KeepThePlannedOrder_WhateverOrderTheRunsFinishIn()
        {
            // eye rejects the 4-D convolution weights: its runs fail at once, while the xavier_uniform runs train.
            var options = new ComparisonOptions
            {
                Initializers = new[] { "xavier_uniform", "eye" },
                Seeds = new long[] { 1, 2 },
                MaxConcurrentRuns = 2,
                TrainerOptions = { NumberOfEpochs = 1 },
            };
            var activity = new Activity();

            var result = InitializerComparison.Run(s_mlContext, s_train, s_test, options, activity);

            Assert.AreEqual(1, activity.Finished[0], "precondition: the failing run 1 finishes before run 0");
            Assert.IsTrue(result.IsComplete);
            CollectionAssert.AreEqual(new[] { "xavier_uniform", "eye", "xavier_uniform", "eye" }, result.Runs.Select(r => r.Initializer).ToArray());
            CollectionAssert.AreEqual(new long[] { 1, 1, 2, 2 }, result.Runs.Select(r => r.Seed).ToArray());
            CollectionAssert.AreEqual(new[] { RunStatus.Failed, RunStatus.Failed }, result.RunsOf("eye").Select(r => r.Status).ToArray());
            int threadsEach = Math.Max(1, Environment.ProcessorCount / 2);
            Assert.IsTrue(result.RunsOf("xavier_uniform").All(r => r.Status != RunStatus.Failed && r.History.Single().NumberOfThreads == threadsEach),
                $"each run should train with cores / 2 = {threadsEach} threads: {string.Join("; ", result.Runs)}");
        }

        [TestMethod]
        public void Cancellation_WithTwoAtOnce_StopsTakingRuns_AndKeepsOnlyTheFinishedOnes()
        {
            using var cancellation = new CancellationTokenSource();
            var options = new ComparisonOptions
            {
                Initializers = new[] { "pytorch_default", "xavier_uniform", "kaiming_uniform", "orthogonal" },
                MaxConcurrentRuns = 2,
                TrainerOptions = { NumberOfEpochs = 1 },
            };
            var activity = new Activity(p =>
            {
                if (p.RunIndex == 2 && p.Training is null && p.Finished is null)
                {
                    cancellation.Cancel();
                }
            });

            var result = InitializerComparison.Run(s_mlContext, s_train, s_test, options, activity, cancellation.Token);

            Assert.IsFalse(result.IsComplete);
            Assert.AreEqual(4, result.PlannedRuns);
            CollectionAssert.DoesNotContain(activity.Started, 3, "a run started after the cancellation");
            Assert.IsTrue(result.Runs.Count is >= 1 and <= 2, string.Join("; ", result.Runs));
            CollectionAssert.AreEqual(activity.Finished.OrderBy(i => i).Select(i => options.Initializers[i]).ToArray(),
                result.Runs.Select(r => r.Initializer).ToArray(), "the results are exactly the runs that finished, in planned order");
            Assert.IsTrue(result.Runs.All(r => r.History.Count == 1 && r.Evaluation is not null), string.Join("; ", result.Runs));
        }

        [TestMethod]
        public void AnUnexpectedExceptionInAWorker_LeavesRun_AfterTheOtherWorkersStopped()
        {
            var options = new ComparisonOptions
            {
                Initializers = new[] { "pytorch_default", "xavier_uniform", "kaiming_uniform" },
                MaxConcurrentRuns = 2,
                TrainerOptions = { NumberOfEpochs = 1 },
            };
            var activity = new Activity(p =>
            {
                if (p.RunIndex == 1 && p.Training?.Step == 2)
                {
                    throw new InvalidOperationException("progress sink broke");
                }
            });

            var error = Assert.ThrowsExactly<InvalidOperationException>(() => InitializerComparison.Run(s_mlContext, s_train, s_test, options, activity));

            Assert.AreEqual("progress sink broke", error.Message);
            // A frame of the worker's own stack (the JIT may inline the test's small callback, so not that one).
            StringAssert.Contains(error.StackTrace, "TrainingSession.RunEpoch", "the worker's stack trace is kept");
            int reports = activity.Reports;
            Thread.Sleep(300);
            Assert.AreEqual(reports, activity.Reports, "a worker still trained after Run returned");
        }

        [TestMethod]
        public void NegativeMaxConcurrentRuns_Throws_NamingIt()
        {
            var options = new ComparisonOptions { Initializers = new[] { "zeros" }, MaxConcurrentRuns = -1 };

            var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.ResolveInitializers());
            Assert.AreEqual(nameof(ComparisonOptions.MaxConcurrentRuns), error.ParamName);
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => InitializerComparison.Run(s_mlContext, s_train, s_test, options));
        }

        [TestMethod]
        public void Concurrency_IsTheCoresByDefault_CappedAtThePlannedRuns()
        {
            int cores = Environment.ProcessorCount;

            Assert.AreEqual(Math.Min(cores, 30), new ComparisonOptions().ConcurrencyFor(30));
            Assert.AreEqual(1, new ComparisonOptions().ConcurrencyFor(1));
            Assert.AreEqual(3, new ComparisonOptions { MaxConcurrentRuns = 5 }.ConcurrencyFor(3));
            Assert.AreEqual(1, new ComparisonOptions { MaxConcurrentRuns = 1 }.ConcurrencyFor(30));
            Assert.IsNull(new ComparisonOptions().ThreadsPerRun(1), "one at a time keeps TrainerOptions as given");
            Assert.AreEqual(Math.Max(1, cores / 2), new ComparisonOptions().ThreadsPerRun(2));
            Assert.AreEqual(1, new ComparisonOptions().ThreadsPerRun(cores + 1));
            Assert.AreEqual(3, new ComparisonOptions { TrainerOptions = { NumberOfThreads = 3 } }.ThreadsPerRun(2), "a pinned count is kept");
        }

        /// <summary>Records which runs started and finished (in finish order) and the most runs active at once.</summary>
        private sealed class Activity(Action<ComparisonProgress>? then = null) : IProgress<ComparisonProgress>
        {
            private readonly HashSet<int> _active = new();
            private int _inside;

            public List<int> Started { get; } = new();

            public List<int> Finished { get; } = new();

            public int MaxActive { get; private set; }

            public int Reports => Volatile.Read(ref _reports);

            private int _reports;

            public void Report(ComparisonProgress value)
            {
                // The comparison serializes its reports: two at once would be a bug.
                Assert.AreEqual(1, Interlocked.Increment(ref _inside), "progress reported from two threads at once");
                try
                {
                    Interlocked.Increment(ref _reports);
                    if (value.Training is null && value.Finished is null)
                    {
                        Started.Add(value.RunIndex);
                        _active.Add(value.RunIndex);
                        MaxActive = Math.Max(MaxActive, _active.Count);
                    }
                    else if (value.Finished is not null)
                    {
                        Finished.Add(value.RunIndex);
                        _active.Remove(value.RunIndex);
                    }
                    then?.Invoke(value);
                }
                finally
                {
                    Interlocked.Decrement(ref _inside);
                }
            }
        }
    }
}
