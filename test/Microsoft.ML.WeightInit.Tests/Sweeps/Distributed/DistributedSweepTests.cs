using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using global::Hangfire;
using global::Hangfire.Common;
using global::Hangfire.States;
using Microsoft.ML.WeightInit.Hangfire;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps.Distributed
{
    /// <summary>
    /// Distributed sweeps end to end: a real PostgreSQL server (eng/postgres.sh), real worker processes (the Examples
    /// app's <c>worker</c>), the driver in this process or as the app's <c>sweep --storage</c>. Bundled sample, few rows.
    /// </summary>
    [TestClass]
    public sealed class DistributedSweepTests
    {
        private const string Weights = "xavier_uniform(gain=0.5..2) | kaiming_uniform(a=0..2.236, mode=fan_in|fan_out) | zeros | ones";
        private static readonly SweepDataLocation SmallSample = SweepDataLocation.Sample with { TrainRows = 300, ValidationRows = 100 };
        private static readonly TrialRunnerSettings OneThread = new() { NumberOfThreads = 1 };

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void TwoWorkers_GiveTheInProcessLeaderboard_WithOneJobPerTrial()
        {
            string db = TestPostgres.CreateDatabase();
            try
            {
                using var w1 = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30));
                using var w2 = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30));
                var options = Options(db);
                var remote = new HangfireTrialRunner(options, SmallSample, OneThread);
                using var distributed = Sweep(remote, maxConcurrentTrials: 4);
                using var local = InProcessTrialRunner.Create(new MLContext(seed: 0), SmallSample, OneThread);
                using var inProcess = Sweep(local, maxConcurrentTrials: 1);

                Assert.AreEqual(SweepStopReason.Completed, distributed.StopReason);
                Assert.AreEqual(remote.DataDescription, local.DataDescription, "the trial logs of both runners must be interchangeable");
                AssertSameLeaderboard(inProcess, distributed);
                Assert.AreEqual(4, remote.TrialsEnqueued);
                var statistics = SweepStorage.Open(options).GetMonitoringApi().GetStatistics();
                Assert.AreEqual(4, statistics.Succeeded, "one job per trial");
                Assert.AreEqual(0, statistics.Failed);
                int completed = Count(w1.Output, ": Completed") + Count(w2.Output, ": Completed");
                Assert.AreEqual(4, completed, $"worker 1:\n{w1.Output}\nworker 2:\n{w2.Output}");
            }
            finally
            {
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void ArchitectureDimension_AWorkerTrainsEachCandidatesNetwork_AsInProcess()
        {
            string db = TestPostgres.CreateDatabase();
            try
            {
                var space = InitializerSearchSpace.Parse("weight=kaiming_uniform(a=0) | xavier_uniform; bias=zeros; lr=0.05; epochs=1; arch=mlp(depth=3, width=16) | mlp(depth=4, width=16)");
                SweepResult Run(ITrialRunner runner, int concurrent) => new SweepExperiment(new MLContext(seed: 0), new GridTuner(space), runner,
                    new SweepOptions { Evaluation = SweepEvaluation.ValidationSet, MaxConcurrentTrials = concurrent, KeepBestModel = false }).Run();
                using var worker = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30));
                var remote = new HangfireTrialRunner(Options(db), SmallSample, OneThread);
                using var distributed = Run(remote, 2);
                using var local = InProcessTrialRunner.Create(new MLContext(seed: 0), SmallSample, OneThread);
                using var inProcess = Run(local, 1);

                Assert.AreEqual(SweepStopReason.Completed, distributed.StopReason);
                Assert.AreEqual(4, distributed.Leaderboard.Rows.Count);
                Assert.AreEqual(2, distributed.Leaderboard.Rows.Select(r => r.Candidate.Architecture).Distinct().Count());
                AssertSameLeaderboard(inProcess, distributed);
                StringAssert.Contains(worker.Output, "arch=mlp(depth=4, width=16, activation=relu)", "the worker logs the candidate's key");
            }
            finally
            {
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void KilledWorker_ItsTrialIsFinishedByAnotherWorker_WithTheSameResult()
        {
            string db = TestPostgres.CreateDatabase();
            try
            {
                var timeout = TimeSpan.FromSeconds(5);
                var data = SweepDataLocation.Sample with { TrainRows = 6000, ValidationRows = 200 };
                var spec = Specs(1, epochs: 2)[0];
                var remote = new HangfireTrialRunner(Options(db), data, OneThread);
                using var first = WorkerProcess.StartWorker(db, timeout);
                var running = remote.RunAsync(spec, null, CancellationToken.None);
                first.WaitFor($"Trial {spec.Id}: ", TimeSpan.FromSeconds(60));
                first.WaitFor("started.", TimeSpan.FromSeconds(60));
                Thread.Sleep(500);
                Assert.IsFalse(running.IsCompleted, "the trial finished before the worker could be killed");
                first.KillHard();
                var killed = Stopwatch.StartNew();
                using var second = WorkerProcess.StartWorker(db, timeout);
                second.WaitFor($"Trial {spec.Id}: weight=", TimeSpan.FromSeconds(60));
                var delay = killed.Elapsed;
                Assert.IsTrue(running.Wait(TimeSpan.FromSeconds(120)), $"no result. Second worker:\n{second.Output}");
                var result = running.Result;
                Console.WriteLine($"Re-run started {delay.TotalSeconds:F1} s after the kill (invisibility timeout {timeout.TotalSeconds} s).");
                Assert.IsTrue(delay < timeout + TimeSpan.FromSeconds(30), $"re-run after {delay}");
                StringAssert.Contains(second.Output, $"Trial {spec.Id}: Completed");

                using var local = InProcessTrialRunner.Create(new MLContext(seed: 0), data, OneThread);
                var expected = local.Run(spec);
                Assert.AreEqual(expected.Metrics, result.Metrics, "the re-run trial must equal the in-process trial");
                Assert.AreEqual(1, remote.TrialsEnqueued);
            }
            finally
            {
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void KilledWorker_ItsTrialRunsBeforeTrialsQueuedBehindIt()
        {
            // Hangfire.PostgreSql hands out never-fetched jobs before abandoned ones: without the driver's requeue, a
            // killed worker's trial would wait behind every queued trial.
            string db = TestPostgres.CreateDatabase();
            try
            {
                var timeout = TimeSpan.FromSeconds(5);
                var data = SweepDataLocation.Sample with { TrainRows = 6000, ValidationRows = 200 };
                var specs = Specs(2, epochs: 2);
                var remote = new HangfireTrialRunner(Options(db), data, OneThread);
                using var first = WorkerProcess.StartWorker(db, timeout);
                var killedTrial = remote.RunAsync(specs[0], null, CancellationToken.None);
                first.WaitFor($"Trial {specs[0].Id}: ", TimeSpan.FromSeconds(60));
                first.WaitFor("started.", TimeSpan.FromSeconds(60));
                var queuedTrial = remote.RunAsync(specs[1], null, CancellationToken.None);
                Thread.Sleep(500);
                Assert.IsFalse(killedTrial.IsCompleted, "the trial finished before the worker could be killed");
                first.KillHard();
                var killed = Stopwatch.StartNew();
                using var watchdog = WorkerProcess.StartWorker(db, timeout, "--queue", "other-queue");
                while (remote.TrialsRequeued == 0 && killed.Elapsed < TimeSpan.FromSeconds(90))
                {
                    Thread.Sleep(100);
                }
                Console.WriteLine($"Requeued {killed.Elapsed.TotalSeconds:F1} s after the kill (invisibility timeout {timeout.TotalSeconds} s).");
                Assert.AreEqual(1, remote.TrialsRequeued, "the driver requeues the trial of the dead worker");
                Assert.IsTrue(killed.Elapsed < timeout + TimeSpan.FromSeconds(30), $"requeued after {killed.Elapsed}");

                using var second = WorkerProcess.StartWorker(db, timeout);
                Assert.IsTrue(killedTrial.Wait(TimeSpan.FromSeconds(120)), $"no result. Second worker:\n{second.Output}");
                Assert.IsTrue(queuedTrial.Wait(TimeSpan.FromSeconds(120)), $"no result. Second worker:\n{second.Output}");
                string output = second.Output;
                int rerun = output.IndexOf($"Trial {specs[0].Id}: weight=", StringComparison.Ordinal);
                int queued = output.IndexOf($"Trial {specs[1].Id}: weight=", StringComparison.Ordinal);
                Assert.IsTrue(rerun >= 0 && queued > rerun, $"the killed worker's trial must run first:\n{output}");
                Assert.AreEqual(2, Count(output, ": Completed"), $"each trial runs once on the second worker:\n{output}");
                using var local = InProcessTrialRunner.Create(new MLContext(seed: 0), data, OneThread);
                Assert.AreEqual(local.Run(specs[0]).Metrics, killedTrial.Result.Metrics, "the re-run trial must equal the in-process trial");
                Assert.AreEqual(2, remote.TrialsEnqueued);
            }
            finally
            {
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void KilledDriver_RerunResumesFromItsLog_AndReattachesToQueuedTrials()
        {
            string db = TestPostgres.CreateDatabase();
            string log = Path.Combine(Path.GetTempPath(), $"distributed-{Guid.NewGuid():N}.jsonl");
            try
            {
                var options = Options(db);
                using (var worker = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30)))
                using (var driver = WorkerProcess.Start(new[]
                {
                    "sweep", "--sample", "--train-rows", "1000", "--test-rows", "100", "--tuner", "random", "--candidates", "4",
                    "--tuner-seed", "1", "--weights", Weights, "--lr", "0.05", "--epochs", "1", "--validation", "test",
                    "--log", log, "--storage", db, "--concurrent", "4",
                }))
                {
                    // Kill the driver once one trial is logged; the other three are then queued or running.
                    var watch = Stopwatch.StartNew();
                    while (LoggedTrials(log) < 1)
                    {
                        Assert.IsFalse(driver.HasExited || watch.Elapsed > TimeSpan.FromSeconds(120), $"no trial logged.\nDriver:\n{driver.Output}\nWorker:\n{worker.Output}");
                        Thread.Sleep(50);
                    }
                    driver.KillHard();
                    worker.KillHard();
                }
                int logged = LoggedTrials(log);
                Assert.IsTrue(logged is >= 1 and < 4, $"{logged} trials logged before the kill");

                using var worker2 = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(5));
                // Trials of 1,000 rows: long enough that the driver is killed before the last one is logged.
                var remote = new HangfireTrialRunner(options, SmallSample with { TrainRows = 1000 }, new TrialRunnerSettings());
                var ranNow = new List<string>();
                using var result = new SweepExperiment(new MLContext(seed: 0), new RandomTuner(Space(lr: "0.05"), 4, seed: 1), remote, new SweepOptions
                {
                    Evaluation = SweepEvaluation.ValidationSet,
                    TrialLogPath = log,
                    MaxConcurrentTrials = 4,
                    KeepBestModel = false,
                    Monitor = new Collect(ranNow),
                }).Run();

                Assert.AreEqual(SweepStopReason.Completed, result.StopReason);
                Assert.AreEqual(logged, result.TrialsFromLog, "finished trials come from the log");
                Assert.AreEqual(0, remote.TrialsEnqueued, "no trial may be enqueued twice");
                Assert.AreEqual(4 - logged, remote.TrialsAttached);
                Assert.AreEqual(4, result.Leaderboard.Rows.Count);
                var statistics = SweepStorage.Open(options).GetMonitoringApi().GetStatistics();
                Assert.AreEqual(4, statistics.Succeeded + statistics.Enqueued + statistics.Processing, "4 jobs in all");
                Assert.AreEqual(4, statistics.Succeeded);
            }
            finally
            {
                File.Delete(log);
                File.Delete(log + ".lock");
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void PostgresRestartMidSweep_TheSweepCompletesWithTheInProcessLeaderboard()
        {
            string db = TestPostgres.CreateDatabase();
            try
            {
                using var worker = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(10));
                var notes = new List<string>();
                var remote = new HangfireTrialRunner(Options(db), SmallSample, OneThread, log: n => { lock (notes) { notes.Add(n); } });
                int finished = 0;
                bool restarted = false;
                var sweep = Task.Run(() => Sweep(remote, maxConcurrentTrials: 4, new Callback(() =>
                {
                    if (Interlocked.Increment(ref finished) == 1)
                    {
                        TestPostgres.Restart();
                        restarted = true;
                    }
                })));
                Assert.IsTrue(sweep.Wait(TimeSpan.FromSeconds(240)), $"the sweep did not finish. Worker:\n{worker.Output}");
                using var distributed = sweep.Result;
                Assert.IsTrue(restarted);
                Assert.AreEqual(SweepStopReason.Completed, distributed.StopReason);
                using var local = InProcessTrialRunner.Create(new MLContext(seed: 0), SmallSample, OneThread);
                using var inProcess = Sweep(local, maxConcurrentTrials: 1);
                AssertSameLeaderboard(inProcess, distributed);
                Assert.AreEqual(4, remote.TrialsEnqueued, "no trial enqueued twice");
                Assert.IsFalse(worker.HasExited, $"the worker must survive the restart:\n{worker.Output}");
                Console.WriteLine(string.Join("\n", notes));
            }
            finally
            {
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void BadInput_ClearErrors_NoCrashLoop_NoLostTrial()
        {
            // Unreachable server, wrong database: the worker and the driver exit at once naming the cause.
            using (var unreachable = WorkerProcess.Start(new[] { "worker", "--storage", "Host=127.0.0.1;Port=1;Username=postgres;Timeout=3" }))
            {
                Assert.AreNotEqual(0, unreachable.WaitForExit(TimeSpan.FromSeconds(60)));
                StringAssert.Contains(unreachable.Output, "Cannot connect to PostgreSQL at 127.0.0.1:1/");
            }
            string db = TestPostgres.CreateDatabase();
            string missing = new Npgsql.NpgsqlConnectionStringBuilder(db) { Database = "no_such_database" }.ConnectionString;
            using (var wrongDatabase = WorkerProcess.Start(new[] { "sweep", "--sample", "--no-log", "--storage", missing }))
            {
                Assert.AreNotEqual(0, wrongDatabase.WaitForExit(TimeSpan.FromSeconds(60)));
                StringAssert.Contains(wrongDatabase.Output, "no_such_database");
                StringAssert.Contains(wrongDatabase.Output, "3D000");
            }
            using (var notAConnectionString = WorkerProcess.Start(new[] { "worker", "--storage", "localhost:5432" }))
            {
                Assert.AreNotEqual(0, notAConnectionString.WaitForExit(TimeSpan.FromSeconds(60)));
                StringAssert.Contains(notAConnectionString.Output, "--storage: Not a valid PostgreSQL connection string");
            }

            string good = Path.Combine(Path.GetTempPath(), $"mnist-good-{Guid.NewGuid():N}");
            string other = Path.Combine(Path.GetTempPath(), $"mnist-other-{Guid.NewGuid():N}");
            try
            {
                // A worker whose files differ from the driver's in one label.
                CopySample(good, flipFirstLabel: false);
                CopySample(other, flipFirstLabel: true);
                var options = Options(db);
                using var worker = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30), "--data", other);
                var storage = SweepStorage.Open(options);
                var client = new BackgroundJobClient(storage);

                // A malformed payload fails its job at once (no retry), and the worker goes on.
                string malformed = client.Create(TrialJob.Create("0123456789abcdef", "{\"format\":1,", options.Queue), new EnqueuedState(options.Queue));
                var failed = WaitForState(storage, malformed, FailedState.StateName);
                StringAssert.Contains(failed.Data["ExceptionMessage"], "Malformed payload of trial job 0123456789abcdef");
                Assert.AreEqual(0, storage.GetMonitoringApi().ScheduledCount(), "a malformed payload is not retried");

                var remote = new HangfireTrialRunner(options, SmallSample with { MnistDirectory = good }, OneThread);
                var spec = Specs(1, epochs: 1)[0];
                using var cancel = new CancellationTokenSource();
                var running = remote.RunAsync(spec, null, cancel.Token);
                worker.WaitFor($"Trial {spec.Id}: refused", TimeSpan.FromSeconds(60));
                StringAssert.Contains(worker.Output, $"has SHA-256");
                StringAssert.Contains(worker.Output, remote.DataChecksum);
                Assert.IsFalse(worker.HasExited, "the worker keeps running");
                // The trial is not lost: its job waits for a retry (on a worker with the right data).
                var monitoring = storage.GetMonitoringApi();
                var deadline = Stopwatch.StartNew();
                while (monitoring.ScheduledCount() != 1 && deadline.Elapsed < TimeSpan.FromSeconds(30))
                {
                    Thread.Sleep(100);
                }
                Assert.AreEqual(1, monitoring.ScheduledCount(), "the refused trial is scheduled for a retry");
                Assert.IsFalse(running.IsCompleted);
                cancel.Cancel();
                Assert.ThrowsExactly<TaskCanceledException>(() => running.GetAwaiter().GetResult());

                worker.KillHard();
                using var right = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30), "--data", good);
                var result = remote.RunAsync(spec, null, CancellationToken.None).Wait(TimeSpan.FromSeconds(120));
                Assert.IsTrue(result, $"the retried trial did not finish on the worker with the right data:\n{right.Output}\n{History(storage)}");
                Assert.AreEqual(1, remote.TrialsAttached, "the second call re-attaches to the scheduled job");
                Assert.AreEqual(1, remote.TrialsEnqueued);
            }
            finally
            {
                Directory.Delete(good, recursive: true);
                Directory.Delete(other, recursive: true);
                TestPostgres.DropDatabase(db);
            }
        }

        [TestMethod]
        [Timeout(420_000, CooperativeCancellation = true)]
        public void TrialFailingEveryRetry_FailsNamingTheWorkersError_AndARerunRequeuesTheSameJob()
        {
            // Only a worker with different data: the job is refused on its first attempt and on each of its three
            // retries (after 10 s, 30 s, 60 s), then fails; the driver's call ends with the workers' error.
            string db = TestPostgres.CreateDatabase();
            string good = Path.Combine(Path.GetTempPath(), $"mnist-good-{Guid.NewGuid():N}");
            string other = Path.Combine(Path.GetTempPath(), $"mnist-other-{Guid.NewGuid():N}");
            try
            {
                CopySample(good, flipFirstLabel: false);
                CopySample(other, flipFirstLabel: true);
                var options = Options(db);
                var spec = Specs(1, epochs: 1)[0];
                var remote = new HangfireTrialRunner(options, SmallSample with { MnistDirectory = good }, OneThread);
                TrialJobFailedException failure;
                var watch = Stopwatch.StartNew();
                using (var wrong = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30), "--data", other))
                {
                    failure = Assert.ThrowsExactly<TrialJobFailedException>(
                        () => remote.RunAsync(spec, null, CancellationToken.None).GetAwaiter().GetResult());
                    Console.WriteLine($"Failed after {watch.Elapsed.TotalSeconds:F0} s (retries after 10 s, 30 s, 60 s).");
                    Assert.AreEqual(spec.Id, failure.TrialId);
                    StringAssert.Contains(failure.Message, remote.DataChecksum, "the failure carries the workers' error");
                    Assert.AreEqual(4, Count(wrong.Output, $"Trial {spec.Id}: refused"), $"one attempt and three retries:\n{wrong.Output}");
                    Assert.IsFalse(wrong.HasExited, "the worker keeps running");
                    Assert.IsTrue(watch.Elapsed >= TimeSpan.FromSeconds(100), "the retries wait 10 + 30 + 60 s");
                }
                var storage = SweepStorage.Open(options);
                Assert.AreEqual(1, storage.GetMonitoringApi().GetStatistics().Failed);

                // Run again with a worker that has the driver's data: the failed job is requeued, not duplicated.
                using var right = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30), "--data", good);
                var rerun = new HangfireTrialRunner(options, SmallSample with { MnistDirectory = good }, OneThread);
                var running = rerun.RunAsync(spec, null, CancellationToken.None);
                Assert.IsTrue(running.Wait(TimeSpan.FromSeconds(120)), $"the requeued trial did not finish:\n{right.Output}\n{History(storage)}");
                Assert.AreEqual(1, rerun.TrialsEnqueued, "the failed job is requeued once");
                StringAssert.Contains(right.Output, $"Trial {spec.Id}: Completed");
                var statistics = storage.GetMonitoringApi().GetStatistics();
                Assert.AreEqual(1, statistics.Succeeded, "one job for the trial");
                Assert.AreEqual(0, statistics.Failed);
                using var local = InProcessTrialRunner.Create(new MLContext(seed: 0), SmallSample with { MnistDirectory = good }, OneThread);
                Assert.AreEqual(local.Run(spec).Metrics, running.Result.Metrics, "the requeued trial must equal the in-process trial");
            }
            finally
            {
                Directory.Delete(good, recursive: true);
                Directory.Delete(other, recursive: true);
                TestPostgres.DropDatabase(db);
            }
        }

        private static HangfireSweepOptions Options(string db) => new(db) { PollInterval = TimeSpan.FromMilliseconds(200) };

        private static InitializerSearchSpace Space(string lr = "0.05") =>
            InitializerSearchSpace.Parse($"weight={Weights}; bias=zeros; lr={lr}; momentum=0.5; epochs=1");

        private static SweepResult Sweep(ITrialRunner runner, int maxConcurrentTrials, ISweepMonitor? monitor = null) =>
            new SweepExperiment(new MLContext(seed: 0), new RandomTuner(Space(), 4, seed: 1), runner, new SweepOptions
            {
                Evaluation = SweepEvaluation.ValidationSet,
                MaxConcurrentTrials = maxConcurrentTrials,
                KeepBestModel = false,
                Monitor = monitor,
            }).Run();

        private static List<TrialSpec> Specs(int count, int epochs) =>
            Enumerable.Range(0, count).Select(i => new TrialSpec(new SweepCandidate($"xavier_uniform(gain={1 + i * 0.25})", "zeros", 0.05, 0.5, epochs),
                1, SweepEvaluation.ValidationSet, 0, epochs)).ToList();

        private static void AssertSameLeaderboard(SweepResult expected, SweepResult actual)
        {
            Assert.AreEqual(expected.Leaderboard.Rows.Count, actual.Leaderboard.Rows.Count);
            foreach (var (e, a) in expected.Leaderboard.Rows.Zip(actual.Leaderboard.Rows))
            {
                Assert.AreEqual(e.Candidate.Key, a.Candidate.Key);
                Assert.AreEqual(e.MicroAccuracy.Mean, a.MicroAccuracy.Mean, 0.0, e.Candidate.Key);
                Assert.AreEqual(e.LogLoss.Mean, a.LogLoss.Mean, 0.0, e.Candidate.Key);
            }
        }

        private static global::Hangfire.Storage.StateData WaitForState(JobStorage storage, string jobId, string state)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                using (var connection = storage.GetConnection())
                {
                    if (connection.GetStateData(jobId) is { } data && data.Name == state)
                    {
                        return data;
                    }
                }
                Assert.IsTrue(watch.Elapsed < TimeSpan.FromSeconds(60), $"job {jobId} never reached {state}");
                Thread.Sleep(100);
            }
        }

        /// <summary>The bundled sample as IDX files (gzipped as shipped; with one label changed, raw).</summary>
        private static void CopySample(string directory, bool flipFirstLabel)
        {
            Directory.CreateDirectory(directory);
            string sample = Path.Combine(TestPostgres.RepositoryRoot(), "src", "Microsoft.ML.WeightInit", "Data", "Sample");
            foreach (string file in Directory.GetFiles(sample, "*.gz"))
            {
                string name = Path.GetFileName(file);
                if (flipFirstLabel && name.StartsWith("train-labels", StringComparison.Ordinal))
                {
                    using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
                    using var bytes = new MemoryStream();
                    gz.CopyTo(bytes);
                    byte[] labels = bytes.ToArray();
                    labels[8] = (byte)((labels[8] + 1) % 10);
                    File.WriteAllBytes(Path.Combine(directory, Path.GetFileNameWithoutExtension(name)), labels);
                }
                else
                {
                    File.Copy(file, Path.Combine(directory, name));
                }
            }
        }

        private static int LoggedTrials(string log)
        {
            if (!File.Exists(log))
            {
                return 0;
            }
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            string text = new StreamReader(stream).ReadToEnd();
            return text.Split('\n').SkipLast(1).Count(l => l.Contains("\"kind\":\"trial\"", StringComparison.Ordinal));
        }

        private static string History(JobStorage storage)
        {
            var monitoring = storage.GetMonitoringApi();
            var lines = new List<string>();
            foreach (string id in monitoring.ScheduledJobs(0, 10).Select(p => p.Key).Concat(monitoring.FailedJobs(0, 10).Select(p => p.Key))
                .Concat(monitoring.ProcessingJobs(0, 10).Select(p => p.Key)).Concat(monitoring.EnqueuedJobs(HangfireSweepOptions.DefaultQueue, 0, 10).Select(p => p.Key)))
            {
                var details = monitoring.JobDetails(id);
                lines.Add($"job {id}: " + string.Join(" <- ", details.History.Select(h => $"{h.StateName} {h.CreatedAt:HH:mm:ss} {h.Reason} {string.Join(",", h.Data.Select(d => $"{d.Key}={d.Value}"))}")));
            }
            return string.Join("\n", lines);
        }

        private static int Count(string text, string part) => text.Split('\n').Count(l => l.Contains(part, StringComparison.Ordinal));

        private sealed class Collect(List<string> ids) : ISweepMonitor
        {
            public void ReportCompletedTrial(TrialResult result, bool fromLog)
            {
                if (!fromLog)
                {
                    ids.Add(result.Id);
                }
            }
        }

        private sealed class Callback(Action onTrial) : ISweepMonitor
        {
            public void ReportCompletedTrial(TrialResult result, bool fromLog) => onTrial();
        }
    }
}
