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
        public void ASecondSweep_ReachingTheLogThroughASymbolicLink_IsRefused()
        {
            string link = _path + ".link";
            File.CreateSymbolicLink(link, _path);
            try
            {
                using var first = TrialLog.Open(_path, Data);
                var e = Assert.ThrowsExactly<IOException>(() => TrialLog.Open(link, Data));
                StringAssert.Contains(e.Message, "in use");
            }
            finally
            {
                File.Delete(link);
            }
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
        public void CompleteButCorruptLastLine_IsAnError_NotDropped()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed));
            }
            File.AppendAllText(_path, "{\"kind\":\"trial\",\"trial\":{\"spec\":{\"cand\n");
            byte[] before = File.ReadAllBytes(_path);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));

            StringAssert.Contains(e.Message, _path);
            StringAssert.Contains(e.Message, "line 3");
            StringAssert.Contains(e.Message, "not valid JSON");
            CollectionAssert.AreEqual(before, File.ReadAllBytes(_path), "the file was changed");
        }

        [TestMethod]
        public void UnterminatedCompleteLastLine_IsKept_AndGivenItsNewline()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed));
                log.Append(Result(2, TrialStatus.Completed));
            }
            File.WriteAllText(_path, File.ReadAllText(_path).TrimEnd('\n')); // a crash just before the last newline

            using (var reopened = TrialLog.Open(_path, Data))
            {
                Assert.AreEqual(2, reopened.Results.Count);
                Assert.IsNull(reopened.Repair);
                reopened.Append(Result(3, TrialStatus.Completed));
            }

            using var again = TrialLog.Open(_path, Data);
            Assert.AreEqual(3, again.Results.Count);
        }

        [TestMethod]
        [DataRow("\"metrics\":null", "trial.metrics is missing or null", DisplayName = "metrics null")]
        [DataRow("\"status\":\"Bogus\"", "trial.status is \"Bogus\"; expected one of Completed, Diverged, Failed", DisplayName = "unknown status")]
        [DataRow("\"status\":7", "trial.status is 7; expected one of Completed, Diverged, Failed", DisplayName = "status out of range")]
        [DataRow("\"microAccuracy\":7.5", "trial.metrics.microAccuracy is 7.5; expected a number in [0, 1]", DisplayName = "accuracy 7.5")]
        [DataRow("\"macroAccuracy\":\"NaN\"", "trial.metrics.macroAccuracy is NaN; expected a number in [0, 1]", DisplayName = "accuracy NaN")]
        [DataRow("\"logLoss\":-1", "trial.metrics.logLoss is -1; expected a finite number ≥ 0", DisplayName = "negative log-loss")]
        [DataRow("\"logLoss\":\"Infinity\"", "trial.metrics.logLoss is Infinity; expected a finite number ≥ 0", DisplayName = "infinite log-loss")]
        [DataRow("\"spec\":null", "trial.spec is missing or null", DisplayName = "spec null")]
        [DataRow("\"epochs\":0", "trial.spec.epochs: A trial trains at least 1 epoch", DisplayName = "epochs 0")]
        [DataRow("\"kind\":\"trail\"", "kind is \"trail\"; expected \"sweep\" or \"trial\"", DisplayName = "unknown kind")]
        public void InvalidTrialRecord_IsAnError_NamingTheFileLineAndField(string replacement, string expected)
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed));
                log.Append(Result(2, TrialStatus.Completed));
            }
            var lines = File.ReadAllLines(_path);
            string field = replacement[..(replacement.IndexOf(':', StringComparison.Ordinal) + 1)];
            int at = lines[1].IndexOf(field, StringComparison.Ordinal);
            Assert.IsGreaterThanOrEqualTo(0, at, $"no {field} in {lines[1]}");
            lines[1] = lines[1][..at] + replacement + lines[1][ValueEnd(lines[1], at + field.Length)..];
            File.WriteAllLines(_path, lines);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));

            StringAssert.Contains(e.Message, $"Trial log '{_path}', line 2: {expected}");
            Assert.DoesNotContain("Object reference", e.Message);
        }

        [TestMethod]
        public void InvalidTrialRecord_AsTheCompleteLastLine_IsAnError()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed) with { Metrics = null });
            }

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));
            StringAssert.Contains(e.Message, "line 2: trial.metrics is missing or null");
        }

        [TestMethod]
        public void InvalidTrialRecord_AsAnUnterminatedLastLine_IsAnError_NotDroppedAsTorn()
        {
            using (var log = TrialLog.Open(_path, Data))
            {
                log.Append(Result(1, TrialStatus.Completed) with { Metrics = new EvaluationMetrics(7.5, 0.5, 1, 0) });
            }
            File.WriteAllText(_path, File.ReadAllText(_path).TrimEnd('\n'));

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));
            StringAssert.Contains(e.Message, "line 2: trial.metrics.microAccuracy is 7.5");
        }

        [TestMethod]
        public void HeaderOfAnotherFormatVersion_IsRefused_NamingBothVersions()
        {
            TrialLog.Open(_path, Data).Dispose();
            var lines = File.ReadAllLines(_path);
            StringAssert.Contains(lines[0], $"\"version\":{TrialLog.Version}");
            lines[0] = lines[0].Replace($"\"version\":{TrialLog.Version}", "\"version\":99", StringComparison.Ordinal);
            File.WriteAllLines(_path, lines);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));

            StringAssert.Contains(e.Message, _path);
            StringAssert.Contains(e.Message, "format version 99");
            StringAssert.Contains(e.Message, $"this library reads version {TrialLog.Version}");
        }

        [TestMethod]
        public void TrialRecordBeforeTheHeader_IsAnError()
        {
            File.WriteAllText(_path, "{\"kind\":\"trial\"}\n");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => TrialLog.Open(_path, Data));
            StringAssert.Contains(e.Message, "line 1: a trial record before the sweep header");
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

        /// <summary>Where the JSON value starting at <paramref name="start"/> ends (a number, a string or an object; no
        /// braces inside strings).</summary>
        private static int ValueEnd(string json, int start)
        {
            if (json[start] != '{')
            {
                return json.IndexOfAny(new[] { ',', '}' }, start);
            }
            int depth = 0;
            for (int i = start; ; i++)
            {
                depth += json[i] == '{' ? 1 : json[i] == '}' ? -1 : 0;
                if (depth == 0)
                {
                    return i + 1;
                }
            }
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
