using System;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>The trial log's file format and its tolerance of crashes (no training).</summary>
    [TestClass]
    public sealed class TrialLogTests
    {
        private const string Data = "test data";
        private string _path = null!;

        [TestInitialize]
        public void NewPath() => _path = Path.Combine(Path.GetTempPath(), $"trial-log-{Guid.NewGuid():N}.jsonl");

        [TestCleanup]
        public void Delete() => File.Delete(_path);

        [TestMethod]
        public void TrialsAppended_AreReadBack_WithTheirHistoryAndNaNs()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed));
                log.Append(Result(2, TrialStatus.Diverged));
            }

            using var reopened = TrialLog.Open(_path, Data);

            Assert.AreEqual(2, reopened.Results.Count);
            Assert.IsNull(reopened.Repair);
            Assert.AreEqual(Result(1, TrialStatus.Completed).Id, reopened.Results[0].Id);
            Assert.AreEqual(0.5, reopened.Results[0].Metrics!.MicroAccuracy);
            Assert.AreEqual(TrialStatus.Diverged, reopened.Results[1].Status);
            Assert.IsTrue(double.IsNaN(reopened.Results[1].History[0].ValidationLoss));
            Assert.AreEqual(3, File.ReadAllLines(_path).Length, "a header and one line per trial");
        }

        [TestMethod]
        public void TornLastLine_IsDropped_AndCutOffTheFile()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed));
            }
            string whole = File.ReadAllText(_path);
            File.AppendAllText(_path, "{\"kind\":\"trial\",\"trial\":{\"spec\":{\"cand");

            using (var reopened = TrialLog.Open(_path, Data))
            {
                Assert.AreEqual(1, reopened.Results.Count);
                StringAssert.Contains(reopened.Repair, "torn last line");
                reopened.Append(Result(2, TrialStatus.Completed));
            }

            Assert.IsTrue(File.ReadAllText(_path).StartsWith(whole, StringComparison.Ordinal));
            using var again = TrialLog.Open(_path, Data);
            Assert.AreEqual(2, again.Results.Count);
        }

        [TestMethod]
        public void CorruptLineInTheMiddle_IsAnError_NamingTheLine()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed));
            }
            var lines = File.ReadAllLines(_path).ToList();
            lines.Insert(1, "not json");
            File.WriteAllLines(_path, lines);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));
            StringAssert.Contains(e.Message, "line 2");
        }

        [TestMethod]
        public void LogOfOtherData_IsRefused()
        {
            TrialLog.Open(_path, Data).Dispose();

            var e = Assert.ThrowsExactly<InvalidOperationException>(() => TrialLog.Open(_path, "other data"));
            StringAssert.Contains(e.Message, "other data");
        }

        [TestMethod]
        public void SecondWriter_IsRefusedWhileTheFirstHoldsTheLog()
        {
            using var first = TrialLog.Open(_path, Data);

            Assert.ThrowsExactly<IOException>(() => TrialLog.Open(_path, Data));
        }

        [TestMethod]
        public void TrialRequestAndResult_RoundTripThroughJson()
        {
            var result = Result(3, TrialStatus.Completed);
            var request = new TrialRequest(result.Spec, new SweepDataLocation { MnistDirectory = "/data/mnist", TrainRows = 600 }, new TrialRunnerSettings { BatchSize = 32 });

            var requestBack = SweepJson.Deserialize<TrialRequest>(SweepJson.Serialize(request));
            var resultBack = SweepJson.Deserialize<TrialResult>(SweepJson.Serialize(result));

            Assert.AreEqual(request, requestBack);
            Assert.AreEqual(result.Spec, resultBack.Spec);
            Assert.AreEqual(result.Metrics, resultBack.Metrics);
            CollectionAssert.AreEqual(result.History.ToArray(), resultBack.History.ToArray());
            StringAssert.Contains(SweepJson.Serialize(result), "\"status\":\"Completed\"");
        }

        internal static TrialResult Result(int seed, TrialStatus status) => new()
        {
            Spec = new TrialSpec(new SweepCandidate("xavier_uniform(gain=1)", "zeros", 0.01, 0.5, 1), seed, SweepEvaluation.Holdout(), 0, 1),
            Status = status,
            Metrics = status == TrialStatus.Completed ? new EvaluationMetrics(0.5, 0.5, 1.5, 0.3) : null,
            History = new[] { new EpochMetrics(1, 2.0, status == TrialStatus.Completed ? 1.5 : double.NaN, 0.5, 1.0, 600) },
            EpochsTrained = 1,
            Seconds = 1.25,
            StartedAtUtc = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc),
        };
    }
}
