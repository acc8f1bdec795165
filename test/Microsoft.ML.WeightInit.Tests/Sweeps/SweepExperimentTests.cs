using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>Sweeps end to end on a slice of the bundled sample: determinism, resuming, budgets, divergence, time cap, CV.</summary>
    [TestClass]
    public sealed class SweepExperimentTests
    {
        private readonly List<string> _files = new();

        [TestCleanup]
        public void DeleteFiles()
        {
            foreach (string f in _files)
            {
                File.Delete(f);
            }
        }

        [TestMethod]
        public void SameSeed_GivesTheSameLeaderboard_NoLearningSchemesLast()
        {
            var space = InitializerSearchSpace.Parse(SweepTestData.Space);
            string[] Board(out SweepResult result)
            {
                using var runner = SweepTestData.Runner(out var mlContext);
                result = new SweepExperiment(mlContext, new RandomTuner(space, 4, seed: 5), runner,
                    new SweepOptions { Evaluation = SweepEvaluation.ValidationSet, KeepBestModel = false }).Run();
                return result.Leaderboard.Rows.Select(r => $"{r.Candidate.Key} {r.Status} {r.Metric.Mean:R}").ToArray();
            }

            var first = Board(out var a);
            var second = Board(out _);

            CollectionAssert.AreEqual(first, second, string.Join("\n", first));
            Assert.AreEqual(SweepStopReason.Completed, a.StopReason);
            Assert.AreEqual(4, a.TrialsRun);
            var last = a.Leaderboard.Rows.Skip(2).Select(r => r.Candidate.Weight).ToList();
            CollectionAssert.AreEquivalent(new[] { "zeros", "ones" }, last, string.Join("\n", first));
            Assert.IsTrue(a.Leaderboard.Best!.Metric.Mean > 0.5, string.Join("\n", first));
        }

        [TestMethod]
        public void DivergedTrial_IsRecorded_NotThrown()
        {
            using var runner = SweepTestData.Runner(out var mlContext);
            var space = InitializerSearchSpace.Parse("weight=constant(val=1e20) | xavier_uniform; bias=zeros; lr=0.05; epochs=1");

            using var result = new SweepExperiment(mlContext, new GridTuner(space), runner,
                new SweepOptions { Evaluation = SweepEvaluation.ValidationSet }).Run();

            var diverged = result.Trials.Single(t => t.Spec.Candidate.Weight.StartsWith("constant", StringComparison.Ordinal));
            Assert.AreEqual(TrialStatus.Diverged, diverged.Status, diverged.Error);
            Assert.AreEqual(1, diverged.DivergedAtEpoch);
            Assert.IsNotNull(diverged.DivergedAtStep);
            Assert.IsNull(diverged.Metrics);
            StringAssert.Contains(diverged.Error, "diverged");
            var row = result.Leaderboard.Rows.Single(r => r.Candidate == diverged.Spec.Candidate);
            Assert.AreEqual(CandidateStatus.Diverged, row.Status);
            Assert.AreEqual(2, row.Rank, "a diverged candidate ranks after every healthy one");
            Assert.IsNotNull(result.BestModel, "the healthy candidate's network is the sweep's model");
        }

        [TestMethod]
        public void Resume_AfterCancellationAndATornLine_RunsOnlyTheRemainingTrials()
        {
            string log = TempFile();
            var space = InitializerSearchSpace.Parse(SweepTestData.Space);
            var tuner = new RandomTuner(space, 3, seed: 5);
            var options = new SweepOptions { Evaluation = SweepEvaluation.ValidationSet, Seeds = new[] { 1, 2 }, TrialLogPath = log, KeepBestModel = false };

            // First process: stopped after 2 of 6 trials (as Ctrl+C would), then a crash tears the next line.
            using var cancel = new CancellationTokenSource();
            var firstIds = new List<string>();
            options.Monitor = new Monitor(r =>
            {
                firstIds.Add(r.Id);
                if (firstIds.Count == 2)
                {
                    cancel.Cancel();
                }
            });
            SweepResult first;
            using (var runner = SweepTestData.Runner(out var mlContext))
            {
                first = new SweepExperiment(mlContext, tuner, runner, options).Run(cancel.Token);
            }
            File.AppendAllText(log, "{\"kind\":\"trial\",\"trial\":{\"spec\":{\"candidate\":{\"wei");

            // Second process: same sweep, same log.
            var secondIds = new List<string>();
            options.Monitor = new Monitor(r => secondIds.Add(r.Id));
            SweepResult second;
            using (var runner = SweepTestData.Runner(out var mlContext))
            {
                second = new SweepExperiment(mlContext, tuner, runner, options).Run();
            }

            Assert.AreEqual(SweepStopReason.Cancelled, first.StopReason);
            Assert.AreEqual(2, first.TrialsRun);
            Assert.AreEqual(SweepStopReason.Completed, second.StopReason);
            Assert.AreEqual(2, second.TrialsFromLog);
            Assert.AreEqual(4, second.TrialsRun);
            Assert.AreEqual(0, firstIds.Intersect(secondIds).Count(), "no trial ran twice");
            Assert.AreEqual(6, second.Trials.Count);
            Assert.IsTrue(second.Notes.Any(n => n.Contains("torn last line", StringComparison.Ordinal)), string.Join("\n", second.Notes));
            Assert.AreEqual(1 + 6, File.ReadAllLines(log).Length, "header + 6 trials, the torn line gone");
            Assert.IsTrue(second.Leaderboard.Rows.All(r => r.Trials == 2 && r.Status != CandidateStatus.Incomplete));
        }

        [TestMethod]
        public void SuccessiveHalving_SpendsFewerEpochsThanGrid_AndContinuedTrialsMatchFullRuns()
        {
            var space = InitializerSearchSpace.Parse(SweepTestData.Space.Replace("epochs=1", "epochs=4", StringComparison.Ordinal));
            using var runner = SweepTestData.Runner(out var mlContext);

            var halving = new SweepExperiment(mlContext, SuccessiveHalvingTuner.OverGrid(space, minEpochs: 1, maxEpochs: 4, reductionFactor: 2),
                runner, new SweepOptions { Evaluation = SweepEvaluation.ValidationSet, KeepBestModel = false }).Run();

            // A grid sweep of the same 4 candidates trains each for 4 epochs from scratch: 16. Halving (η = 2): 4 × 1,
            // then the 2 best continue for 1 more epoch, then the best continues for 2 more: 8.
            int gridEpochs = new GridTuner(space).Candidates.Sum(c => c.NumberOfEpochs);
            Assert.AreEqual(16, gridEpochs);
            Assert.AreEqual(8, halving.EpochsTrained);
            Assert.AreEqual(4, halving.Trials.Count(t => t.Spec.Rung == 0));
            Assert.AreEqual(2, halving.Trials.Count(t => t.Spec.Rung == 1));
            Assert.IsFalse(halving.Trials.Where(t => t.Spec.Rung > 0).Any(t => t.Spec.Candidate.Weight is "zeros" or "ones"), "no-learning schemes stop at rung 0");
            // The winner's trial, continued 1 → 2 → 4 epochs from paused sessions, equals the same trial run in one go.
            var continued = halving.Trials.Single(t => t.Spec.Rung == 2);
            Assert.AreEqual(2, continued.EpochsTrained);
            var full = runner.Run(continued.Spec with { Rung = 0, ContinuesFromEpochs = 0 });
            Assert.AreEqual(4, full.EpochsTrained);
            Assert.AreEqual(full.Metrics, continued.Metrics);
            CollectionAssert.AreEqual(full.History.Select(h => h.ValidationLoss).ToArray(), continued.History.Select(h => h.ValidationLoss).ToArray());
            Console.WriteLine($"Epochs: grid {gridEpochs}, halving {halving.EpochsTrained} ({halving.Elapsed.TotalSeconds:F1} s)");
        }

        [TestMethod]
        public void TimeCap_StopsTheSweep_AndTheCutTrialIsNotLogged()
        {
            string log = TempFile();
            using var runner = SweepTestData.Runner(out var mlContext);
            var space = InitializerSearchSpace.Parse("weight=xavier_uniform(gain=0.5..2); bias=zeros; lr=0.05; epochs=20");
            var cap = TimeSpan.FromSeconds(3);

            using var result = new SweepExperiment(mlContext, new RandomTuner(space, 6, seed: 1), runner,
                new SweepOptions { Evaluation = SweepEvaluation.ValidationSet, MaxTime = cap, TrialLogPath = log }).Run();

            Assert.AreEqual(SweepStopReason.TimeLimit, result.StopReason);
            Assert.IsTrue(result.Elapsed < cap + TimeSpan.FromSeconds(2), $"elapsed {result.Elapsed}");
            Assert.IsTrue(result.TrialsRun < 6);
            Assert.AreEqual(1 + result.TrialsRun, File.ReadAllLines(log).Length, "only finished trials are logged");
        }

        [TestMethod]
        public void CrossValidation_RunsOneTrialPerFold_AndReportsMeanAndStd()
        {
            using var runner = SweepTestData.Runner(out var mlContext);
            var space = InitializerSearchSpace.Parse("weight=xavier_uniform | kaiming_uniform(a=0); bias=zeros; lr=0.05; epochs=1");

            using var result = new SweepExperiment(mlContext, new GridTuner(space), runner,
                new SweepOptions { Evaluation = SweepEvaluation.CrossValidation(numberOfFolds: 2), Metric = SweepMetric.LogLoss }).Run();

            Assert.AreEqual(4, result.Trials.Count);
            foreach (var t in result.Trials)
            {
                Assert.AreEqual(SweepTestData.TrainRows, t.TrainingRows + t.ValidationRows, "each fold splits the training rows");
                Assert.IsTrue(t.ValidationRows is > 170 and < 330, $"fold {t.Spec.Fold}: {t.ValidationRows} validation rows");
            }
            CollectionAssert.AreEqual(new[] { 0, 1, 0, 1 }, result.Trials.Select(t => t.Spec.Fold).ToArray());
            var best = result.Leaderboard.Rows[0];
            Assert.AreEqual(2, best.Metric.N);
            Assert.IsTrue(best.Metric.Std > 0);
            Assert.IsTrue(best.Metric.Mean <= result.Leaderboard.Rows[1].Metric.Mean, "LogLoss: lower ranks first");
            Assert.IsNotNull(result.BestModel);
        }

        [TestMethod]
        public void BestModel_IsTheBestTrialsNetwork_AsAnMLNetTransformer()
        {
            var (mlContext, train, validation) = SweepTestData.Load();
            using var runner = new InProcessTrialRunner(mlContext, train, validation);
            var space = InitializerSearchSpace.Parse("weight=xavier_uniform; bias=zeros; lr=0.05; epochs=1");

            using var result = new SweepExperiment(mlContext, new GridTuner(space), runner,
                new SweepOptions { Evaluation = SweepEvaluation.ValidationSet }).Run();

            var metrics = mlContext.MulticlassClassification.Evaluate(result.BestModel!.Transform(validation));
            Assert.AreEqual(result.BestTrial!.Metrics!.MicroAccuracy, metrics.MicroAccuracy, 1e-12);
            Assert.AreEqual("xavier_uniform(gain=1)", result.BestModel.Model.WeightInitializer);
            Assert.AreEqual(0, runner.PausedTrials, "the sweep frees what it kept in memory");
            // Ready to save: an ML.NET model zip that loads back with the same predictions.
            string zip = TempFile();
            mlContext.Model.Save(result.BestModel, train.Schema, zip);
            var loaded = mlContext.Model.LoadInitCnn(zip, out _);
            Assert.AreEqual(metrics.LogLoss, mlContext.MulticlassClassification.Evaluate(loaded.Transform(validation)).LogLoss, 1e-9);
        }

        [TestMethod]
        public void Leaderboard_ExportsToCsvAndJson()
        {
            var good = TrialLogTests.Result(1, TrialStatus.Completed);
            var bad = TrialLogTests.Result(1, TrialStatus.Diverged) with { Spec = good.Spec with { Candidate = good.Spec.Candidate with { Weight = "ones" } } };
            var leaderboard = Leaderboard.Create(new[] { bad, good }, SweepMetric.MicroAccuracy, trialsPerBudget: 1);

            var csv = new StringWriter();
            LeaderboardExport.WriteCsv(leaderboard, csv);
            var json = new StringWriter();
            LeaderboardExport.WriteJson(leaderboard, json);

            var lines = csv.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.AreEqual(3, lines.Length);
            StringAssert.StartsWith(lines[0], "Rank,Status,Architecture,Weight,Bias,LearningRate");
            StringAssert.StartsWith(lines[1], "1,Completed,mnist_net,xavier_uniform(gain=1),zeros,0.01,0.5,1,0,1,0,0,MicroAccuracy,0.5,NaN,");
            StringAssert.StartsWith(lines[2], "2,Diverged,mnist_net,ones,");
            using var doc = System.Text.Json.JsonDocument.Parse(json.ToString());
            Assert.AreEqual(2, doc.RootElement.GetProperty("rows").GetArrayLength());
            Assert.AreEqual("MicroAccuracy", doc.RootElement.GetProperty("metric").GetString());
        }

        [TestMethod]
        public void TrialWorker_IsAPureFunctionOfItsJsonRequest()
        {
            var spec = new TrialSpec(new SweepCandidate("xavier_uniform(gain=1)", "zeros", 0.05, 0.5, 1), 3, SweepEvaluation.ValidationSet, 0, 1);
            var request = new TrialRequest(spec, SweepDataLocation.Sample with { TrainRows = SweepTestData.TrainRows, ValidationRows = SweepTestData.ValidationRows },
                new TrialRunnerSettings());

            var remote = SweepJson.Deserialize<TrialResult>(TrialWorker.Run(SweepJson.Serialize(request)));
            using var runner = SweepTestData.Runner(out _);
            var local = runner.Run(spec);

            Assert.AreEqual(TrialStatus.Completed, remote.Status);
            Assert.AreEqual(spec, remote.Spec);
            Assert.AreEqual(local.Metrics, remote.Metrics, "same spec, same data: same result wherever it runs");
        }

        private string TempFile()
        {
            string path = Path.Combine(Path.GetTempPath(), $"sweep-test-{Guid.NewGuid():N}.jsonl");
            _files.Add(path);
            return path;
        }

        private sealed class Monitor(Action<TrialResult> completed) : ISweepMonitor
        {
            public void ReportCompletedTrial(TrialResult result, bool fromLog)
            {
                if (!fromLog)
                {
                    completed(result);
                }
            }
        }
    }
}
