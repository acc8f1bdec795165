using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>A real crash: the Examples app's <c>sweep</c> runs as a child process, is killed mid-sweep, and the sweep
    /// resumes in this process from its trial log without running a finished trial again.</summary>
    [TestClass]
    public sealed class SweepProcessKillTests
    {
        private const string Weights = "xavier_uniform(gain=0.5..2) | kaiming_uniform(a=0..2.236, mode=fan_in|fan_out) | zeros | ones";
        private const int Candidates = 4;
        private const int TrainRows = 300;
        private const int TestRows = 100;

        [TestMethod]
        [Timeout(120_000, CooperativeCancellation = true)]
        public void KilledSweep_ResumesFromItsLog_WithoutRepeatingTrials()
        {
            string log = Path.Combine(Path.GetTempPath(), $"sweep-kill-{Guid.NewGuid():N}.jsonl");
            try
            {
                var killedIds = RunAndKill(log, trialsBeforeKill: 2);

                var location = SweepDataLocation.Sample with { TrainRows = TrainRows, ValidationRows = TestRows };
                var mlContext = new MLContext(seed: 0);
                using var runner = InProcessTrialRunner.Create(mlContext, location);
                var space = InitializerSearchSpace.Parse($"weight={Weights}; bias=zeros; lr=0.05; momentum=0.5; epochs=1");
                var ranNow = new List<string>();
                using var result = new SweepExperiment(mlContext, new RandomTuner(space, Candidates, seed: 1), runner, new SweepOptions
                {
                    Evaluation = SweepEvaluation.ValidationSet,
                    TrialLogPath = log,
                    KeepBestModel = false,
                    Monitor = new Collect(ranNow),
                }).Run();

                Assert.AreEqual(SweepStopReason.Completed, result.StopReason);
                Assert.AreEqual(killedIds.Count, result.TrialsFromLog);
                Assert.AreEqual(Candidates - killedIds.Count, result.TrialsRun);
                Assert.AreEqual(0, ranNow.Intersect(killedIds).Count(), "a trial the killed process finished ran again");
                Assert.AreEqual(Candidates, result.Leaderboard.Rows.Count);
            }
            finally
            {
                File.Delete(log);
            }
        }

        /// <summary>Starts the sweep command, kills it (whole process tree) once the log holds enough trials, and returns
        /// the ids of the trials it logged.</summary>
        private static List<string> RunAndKill(string log, int trialsBeforeKill)
        {
            string examples = ExamplesApp.AssemblyPath();
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string arg in new[]
            {
                examples, "sweep", "--sample", "--train-rows", $"{TrainRows}", "--test-rows", $"{TestRows}", "--tuner", "random",
                "--candidates", $"{Candidates}", "--tuner-seed", "1", "--weights", Weights, "--lr", "0.05", "--epochs", "1",
                "--validation", "test", "--log", log,
            })
            {
                start.ArgumentList.Add(arg);
            }
            var output = new List<string>();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (output) { output.Add(e.Data ?? string.Empty); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.Add(e.Data ?? string.Empty); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var watch = Stopwatch.StartNew();
            while (TrialLines(log).Count < trialsBeforeKill)
            {
                if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(90))
                {
                    string text;
                    lock (output)
                    {
                        text = string.Join("\n", output);
                    }
                    Assert.Fail($"The sweep did not log {trialsBeforeKill} trials (exited: {process.HasExited}).\n{text}");
                }
                Thread.Sleep(50);
            }
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            var ids = TrialLines(log).Select(l => SweepJson.Deserialize<TrialLogProbe>(l).Trial!.Id).ToList();
            Assert.IsTrue(ids.Count is >= 2 and < Candidates, $"{ids.Count} trials logged before the kill");
            return ids;
        }

        private static List<string> TrialLines(string log)
        {
            if (!File.Exists(log))
            {
                return new List<string>();
            }
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            // Complete lines only (the last element is what follows the last newline).
            return lines.Take(lines.Length - 1).Where(l => l.Contains("\"kind\":\"trial\"", StringComparison.Ordinal)).ToList();
        }

        private sealed record TrialLogProbe(string Kind, TrialResult? Trial);

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
    }
}
