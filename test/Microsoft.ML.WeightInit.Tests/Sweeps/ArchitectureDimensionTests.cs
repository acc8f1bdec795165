using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.WeightInit.Hangfire;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.ML.WeightInit.Tests.Reliability;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>The architecture as a dimension of the search space: text form, grid, keys (unchanged for the seed
    /// net), a sweep over two depths in process, through the worker's payload and from the command line, resume, errors.</summary>
    [TestClass]
    public sealed class ArchitectureDimensionTests
    {
        private const string TwoDepths = "mlp(depth=3, width=16) | mlp(depth=4, width=16)";

        [TestMethod]
        public void SearchSpace_WithArch_ParsesCanonically_AndTheTextFormRoundTrips()
        {
            var space = InitializerSearchSpace.Parse("weight=xavier_normal | kaiming_normal; arch=mlp(width=64, depth=10) | plain_cnn(depth=5); epochs=1");

            CollectionAssert.AreEqual(new[] { NetworkArchitecture.Mlp(10, 64), NetworkArchitecture.PlainCnn(5) }, space.Architectures.ToArray());
            StringAssert.EndsWith(space.TextForm, "; arch=mlp(depth=10, width=64, activation=relu) | plain_cnn(depth=5, width=32, activation=relu, batch_norm=false)");
            var back = InitializerSearchSpace.Parse(space.TextForm);
            Assert.AreEqual(space.TextForm, back.TextForm);
            CollectionAssert.AreEqual(space.Architectures.ToArray(), back.Architectures.ToArray());
            var seedNet = InitializerSearchSpace.Parse("weight=zeros");
            CollectionAssert.AreEqual(new[] { NetworkArchitecture.MnistNet }, seedNet.Architectures.ToArray(), "default: the seed net only");
            Assert.AreEqual(seedNet.TextForm, InitializerSearchSpace.Parse(seedNet.TextForm).TextForm);
        }

        [TestMethod]
        public void Grid_TwoArchitecturesTimesTwoInitializers_GivesFourCandidates_WithDistinctKeysAndIds()
        {
            var space = InitializerSearchSpace.Parse($"weight=xavier_uniform | kaiming_uniform(a=0); lr=0.05; epochs=1; arch={TwoDepths}");

            var grid = new GridTuner(space).Candidates;

            Assert.AreEqual(4, grid.Count);
            Assert.AreEqual(4, grid.Select(c => c.Key).Distinct().Count(), string.Join("\n", grid));
            Assert.AreEqual(4, grid.Select(c => new TrialSpec(c, 1, SweepEvaluation.ValidationSet, 0, 1).Id).Distinct().Count());
            CollectionAssert.AreEqual(
                new[] { "mlp(depth=3, width=16, activation=relu)", "mlp(depth=3, width=16, activation=relu)", "mlp(depth=4, width=16, activation=relu)", "mlp(depth=4, width=16, activation=relu)" },
                grid.Select(c => c.Architecture).ToArray(), "architectures slowest");
            StringAssert.Contains(grid[0].Key, "; arch=mlp(depth=3, width=16, activation=relu); epochs=1");
            // Random draws and successive halving carry the architecture too.
            var drawn = new RandomTuner(space, 4, seed: 2).Candidates;
            Assert.IsTrue(drawn.All(c => space.Architectures.Any(a => a.TextForm == c.Architecture)));
            Assert.AreEqual(4, drawn.Select(c => c.Key).Distinct().Count());
            var halving = SuccessiveHalvingTuner.OverGrid(space, minEpochs: 1, maxEpochs: 2);
            CollectionAssert.AreEquivalent(grid.Select(c => c.Architecture).ToArray(), halving.Candidates.Select(c => c.Architecture).ToArray());
        }

        [TestMethod]
        public void SeedNetCandidates_KeepTheKeysAndIdsOfTheFormatBeforeArchitectures()
        {
            var spaces = new[]
            {
                InitializerSearchSpace.Parse("weight=xavier_uniform(gain=0.5..2) | zeros; bias=zeros | pytorch_default; lr=0.001..0.1:log; momentum=0.5|0.9; epochs=1|3"),
                InitializerSearchSpace.Parse("weight=xavier_uniform(gain=0.5..2) | zeros; bias=zeros | pytorch_default; lr=0.001..0.1:log; momentum=0.5|0.9; epochs=1|3; arch=mnist_net"),
            };
            var candidates = spaces.SelectMany(s => s.Grid(3).Concat(new RandomTuner(s, 6, seed: 4).Candidates)).ToList();
            candidates.Add(new SweepCandidate("xavier_uniform(gain=1)", "zeros", 0.01, 0.5, 2) { Architecture = "mnist_net" });
            candidates.Add(new SweepCandidate("xavier_uniform(gain=1)", "zeros", 0.01, 0.5, 2) { Architecture = null! });
            var evaluation = SweepEvaluation.CrossValidation(3);

            foreach (var c in candidates)
            {
                // The format of the versions before architectures (SweepCandidate.Key, TrialSpec.Key and Id as they were).
                string oldTraining = $"weight={c.Weight}; bias={c.Bias}; lr={ParameterDomain.Format(c.LearningRate)}; momentum={ParameterDomain.Format(c.Momentum)}";
                string oldKey = $"{oldTraining}; epochs={c.NumberOfEpochs.ToString(CultureInfo.InvariantCulture)}";
                string oldSpecKey = string.Create(CultureInfo.InvariantCulture, $"{oldTraining}; seed=7; eval={evaluation.TextForm}; fold=2; epochs=3");
                string oldId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(oldSpecKey)))[..16];
                var spec = new TrialSpec(c, 7, evaluation, 2, 3);

                Assert.AreEqual("mnist_net", c.Architecture);
                Assert.AreEqual(oldKey, c.Key);
                Assert.AreEqual(oldSpecKey, spec.Key);
                Assert.AreEqual(oldId, spec.Id);
            }
            // A space with one architecture draws what it drew before: the same candidates with or without arch=mnist_net.
            CollectionAssert.AreEqual(new RandomTuner(spaces[0], 6, seed: 4).Candidates.ToArray(), new RandomTuner(spaces[1], 6, seed: 4).Candidates.ToArray());
        }

        [TestMethod]
        public void TrialLogWrittenBeforeArchitectures_IsReadBack_AsSeedNetTrials_WithTheSameIds()
        {
            string path = TempPath(".jsonl");
            try
            {
                var result = TrialLogTests.Result(1, TrialStatus.Completed);
                using (TrialLog.Open(path, "test data"))
                {
                }
                // The line an older version wrote: no "architecture" in the candidate.
                var line = JsonNode.Parse(SweepJson.Serialize(new { kind = "trial", trial = result }))!;
                Assert.IsTrue(line["trial"]!["spec"]!["candidate"]!.AsObject().Remove("architecture"));
                File.AppendAllText(path, line.ToJsonString() + "\n");

                using var log = TrialLog.Open(path, "test data");

                Assert.AreEqual(1, log.Results.Count);
                Assert.AreEqual(result.Id, log.Results[0].Id);
                Assert.AreEqual("mnist_net", log.Results[0].Spec.Candidate.Architecture);
                Assert.AreEqual(result.Spec, log.Results[0].Spec);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [TestMethod]
        public void TinySweepOverTwoDepths_TrainsBoth_RanksBoth_AndResumesFromItsLog()
        {
            string log = TempPath(".jsonl");
            string csv = TempPath(".csv");
            try
            {
                var space = InitializerSearchSpace.Parse($"weight=kaiming_uniform(a=0); bias=zeros; lr=0.05; epochs=1; arch={TwoDepths}");
                var options = new SweepOptions { Evaluation = SweepEvaluation.ValidationSet, TrialLogPath = log };
                SweepResult first;
                using (var runner = SweepTestData.Runner(out var mlContext))
                {
                    first = new SweepExperiment(mlContext, new GridTuner(space), runner, options).Run();
                }

                using (first)
                {
                    Assert.AreEqual(SweepStopReason.Completed, first.StopReason);
                    Assert.AreEqual(2, first.TrialsRun);
                    Assert.IsTrue(first.Trials.All(t => t.Status == TrialStatus.Completed), string.Join("\n", first.Trials.Select(t => t.Error)));
                    CollectionAssert.AreEquivalent(space.Architectures.Select(a => a.TextForm).ToArray(),
                        first.Leaderboard.Rows.Select(r => r.Candidate.Architecture).ToArray());
                    Assert.AreNotEqual(first.Trials[0].Metrics, first.Trials[1].Metrics, "two different networks");
                    // The best model is the winning candidate's network.
                    Assert.AreEqual(first.Leaderboard.Best!.Candidate.ToArchitecture(), first.BestModel!.Model.Architecture);
                    Assert.IsTrue(first.Leaderboard.Best.Metric.Mean > 0.3, $"{first.Leaderboard.Best.Metric}");
                    LeaderboardExport.SaveCsv(first.Leaderboard, csv);
                }
                var lines = File.ReadAllLines(csv);
                StringAssert.StartsWith(lines[0], "Rank,Status,Architecture,Weight,Bias,");
                Assert.AreEqual(2, lines.Skip(1).Count(l => l.Contains("\"mlp(depth=", StringComparison.Ordinal)), string.Join("\n", lines));

                // Started again with the same log: nothing runs, the same leaderboard.
                using var runner2 = SweepTestData.Runner(out var mlContext2);
                options.KeepBestModel = false;
                using var second = new SweepExperiment(mlContext2, new GridTuner(space), runner2, options).Run();
                Assert.AreEqual(0, second.TrialsRun);
                Assert.AreEqual(2, second.TrialsFromLog);
                CollectionAssert.AreEqual(first.Leaderboard.Rows.Select(r => $"{r.Candidate.Key} {r.Metric.Mean:R}").ToArray(),
                    second.Leaderboard.Rows.Select(r => $"{r.Candidate.Key} {r.Metric.Mean:R}").ToArray());
            }
            finally
            {
                File.Delete(log);
                File.Delete(csv);
            }
        }

        [TestMethod]
        public void WorkerPayload_CarriesTheArchitecture_AndTheWorkerTrainsThatNetwork()
        {
            var location = SweepDataLocation.Sample with { TrainRows = SweepTestData.TrainRows, ValidationRows = SweepTestData.ValidationRows };
            var settings = new TrialRunnerSettings { NumberOfThreads = 1 };
            var candidate = new SweepCandidate("kaiming_uniform(a=0)", "zeros", 0.05, 0.5, 1) { Architecture = "mlp(depth=3, width=16)" };
            var spec = new TrialSpec(candidate, 1, SweepEvaluation.ValidationSet, 0, 1);
            string payload = TrialJobPayload.Create(new TrialRequest(spec, location, settings), DataChecksum.Compute(location, settings));
            StringAssert.Contains(payload, "\"architecture\":\"mlp(depth=3, width=16, activation=relu)\"");

            using var executor = new TrialJobExecutor(threads: 1, dataDirectory: null, log: null);
            var remote = SweepJson.Deserialize<TrialResult>(executor.Run(spec.Id, payload, default));
            using var runner = InProcessTrialRunner.Create(new MLContext(seed: 0), location, settings);
            var local = runner.Run(spec);
            var seedNet = runner.Run(spec with { Candidate = candidate with { Architecture = "mnist_net" } });

            Assert.AreEqual(TrialStatus.Completed, remote.Status, remote.Error);
            Assert.AreEqual(spec, remote.Spec);
            Assert.AreEqual(local.Metrics, remote.Metrics, "the worker trained the candidate's network");
            Assert.AreNotEqual(seedNet.Metrics, remote.Metrics);
        }

        [TestMethod]
        public void BadArchitectures_AreErrorsNamingArch()
        {
            var parse = Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=zeros; arch=mlp(depth=3) | mlp(depth=0)"));
            StringAssert.Contains(parse.Message, "arch=");
            StringAssert.Contains(parse.Message, "'mlp(depth=0)' is not a network architecture");
            StringAssert.Contains(parse.Message, "depth");
            var unknown = Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=zeros; arch=resnet9000"));
            StringAssert.Contains(unknown.Message, "arch=resnet9000");
            var twice = Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=zeros; arch=mlp(depth=3) | mlp(width=256, depth=3)"));
            StringAssert.Contains(twice.Message, "arch=");
            StringAssert.Contains(twice.Message, "listed twice");
            var none = new InitializerSearchSpace(new[] { InitializerDomain.Parse("zeros") }) { Architectures = Array.Empty<NetworkArchitecture>() };
            Assert.AreEqual("arch", Assert.ThrowsExactly<ArgumentException>(() => new GridTuner(none)).ParamName);

            // A candidate whose architecture does not parse: refused by the runner, the trial log and the worker.
            var bad = new TrialSpec(new SweepCandidate("zeros", "zeros", 0.01, 0.5, 1) { Architecture = "mlp(depth=0)" }, 1, SweepEvaluation.ValidationSet, 0, 1);
            Assert.AreEqual("mlp(depth=0)", bad.Candidate.Architecture, "kept as given");
            Assert.AreEqual("Architecture", Assert.ThrowsExactly<ParameterException>(bad.Validate).ParamName);
            var request = new TrialRequest(bad, SweepDataLocation.Sample, new TrialRunnerSettings());
            var json = Assert.ThrowsExactly<JsonException>(() => TrialWorker.ParseRequest(SweepJson.Serialize(request)));
            StringAssert.Contains(json.Message, "\"spec.candidate.architecture\"");
            string path = TempPath(".jsonl");
            try
            {
                using (TrialLog.Open(path, "test data"))
                {
                }
                var result = TrialLogTests.Result(1, TrialStatus.Completed);
                File.AppendAllText(path, SweepJson.Serialize(new { kind = "trial", trial = result with { Spec = result.Spec with { Candidate = bad.Candidate } } }) + "\n");
                var log = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(path, "test data"));
                StringAssert.Contains(log.Message, "trial.spec.candidate.architecture");
            }
            finally
            {
                File.Delete(path);
            }

            // A request from a driver that still sent the architecture in the settings is refused, not trained on the seed net.
            var good = new TrialRequest(bad with { Candidate = bad.Candidate with { Architecture = "mnist_net" } }, SweepDataLocation.Sample, new TrialRunnerSettings());
            var legacy = JsonNode.Parse(SweepJson.Serialize(good))!;
            legacy["settings"]!["architecture"] = "mlp(depth=8)";
            var refused = Assert.ThrowsExactly<JsonException>(() => TrialWorker.ParseRequest(legacy.ToJsonString()));
            StringAssert.Contains(refused.Message, "architecture");
        }

        [TestMethod]
        public void SweepCommand_RepeatedArch_CrossesDepthWithTheInitializer()
        {
            string csv = TempPath(".csv");
            try
            {
                var (exitCode, output) = CommandLineErrorTests.Run("sweep", "--sample", "--train-rows", "300", "--test-rows", "100", "-t", "grid",
                    "-w", "kaiming_uniform(a=0) | xavier_uniform", "--lr", "0.05", "-e", "1", "--validation", "test", "--no-log", "--threads", "1",
                    "--arch", "mlp(depth=3, width=16)", "--arch", "mlp(depth=4, width=16)", "--csv", csv);

                Assert.AreEqual(0, exitCode, output);
                StringAssert.Contains(CommandLineErrorTests.Unwrap(output), $"arch={TwoDepths.Replace(", width=16)", ", width=16, activation=relu)", StringComparison.Ordinal)}");
                var rows = File.ReadAllLines(csv).Skip(1).ToList();
                Assert.AreEqual(4, rows.Count, string.Join("\n", rows));
                Assert.AreEqual(2, rows.Count(r => r.Contains("mlp(depth=3, width=16, activation=relu)", StringComparison.Ordinal)));
                Assert.AreEqual(2, rows.Count(r => r.Contains("mlp(depth=4, width=16, activation=relu)", StringComparison.Ordinal)));

                var (badExit, badOutput) = CommandLineErrorTests.Run("sweep", "--sample", "--arch", "mlp(depth=3)", "--arch", "mlp(depth=0)");
                CommandLineErrorTests.AssertCleanFailure(badExit, badOutput, "Error: --arch 'mlp(depth=0)':");
            }
            finally
            {
                File.Delete(csv);
            }
        }

        private static string TempPath(string extension) => Path.Combine(Path.GetTempPath(), $"sweep-arch-{Guid.NewGuid():N}{extension}");
    }
}
