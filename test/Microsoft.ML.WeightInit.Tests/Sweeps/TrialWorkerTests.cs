using System;
using System.Text.Json;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>Trial requests a worker cannot run are refused before any data is loaded, naming the field (no training).</summary>
    [TestClass]
    public sealed class TrialWorkerTests
    {
        private const string Candidate = "\"candidate\":{\"weight\":\"zeros\",\"bias\":\"zeros\",\"learningRate\":0.1,\"momentum\":0,\"numberOfEpochs\":1}";
        private const string Evaluation = "\"evaluation\":{\"kind\":\"Holdout\",\"validationFraction\":0.2}";

        [TestMethod]
        [DataRow("{}", "no \"spec\"", DisplayName = "empty request")]
        [DataRow("{\"spec\":{" + Candidate + "," + Evaluation + ",\"epochs\":1},\"settings\":{}}", "no \"data\"", DisplayName = "no data")]
        [DataRow("{\"spec\":{" + Candidate + "," + Evaluation + ",\"epochs\":1},\"data\":{}}", "no \"settings\"", DisplayName = "no settings")]
        [DataRow("{\"spec\":{" + Evaluation + ",\"epochs\":1},\"data\":{},\"settings\":{}}", "no \"spec.candidate\"", DisplayName = "no candidate")]
        [DataRow("{\"spec\":{\"candidate\":{\"bias\":\"zeros\"}," + Evaluation + ",\"epochs\":1},\"data\":{},\"settings\":{}}", "no \"spec.candidate.weight\"", DisplayName = "no weight initializer")]
        [DataRow("{\"spec\":{" + Candidate + ",\"epochs\":1},\"data\":{},\"settings\":{}}", "no \"spec.evaluation\"", DisplayName = "no evaluation")]
        [DataRow("{\"spec\":{" + Candidate + "," + Evaluation + "},\"data\":{},\"settings\":{}}", "invalid \"spec.epochs\": A trial trains at least 1 epoch.", DisplayName = "no epochs")]
        [DataRow("{\"spec\":{" + Candidate + ",\"evaluation\":{\"kind\":\"Holdout\",\"validationFraction\":2},\"epochs\":1},\"data\":{},\"settings\":{}}", "invalid \"spec.evaluation.validationFraction\": The hold-out fraction must be in (0, 1).", DisplayName = "hold-out fraction 2")]
        [DataRow("{\"spec\":{" + Candidate + "," + Evaluation + ",\"epochs\":1},\"data\":{},\"settings\":{\"batchSize\":0}}", "invalid \"settings.batchSize\"", DisplayName = "batch size 0")]
        public void AnIncompleteRequest_IsAJsonException_NamingTheField(string json, string expected)
        {
            var e = Assert.ThrowsExactly<JsonException>(() => TrialWorker.Run(json));

            StringAssert.Contains(e.Message, expected);
            Assert.DoesNotContain("Value cannot be null", e.Message);
            Assert.DoesNotContain("..", e.Message);
        }

        [TestMethod]
        public void ARequestObjectWithoutData_IsAnArgumentException_NamingIt()
        {
            var spec = new TrialSpec(new SweepCandidate("zeros", "zeros", 0.1, 0, 1), 1, SweepEvaluation.Holdout(), 0, 1);

            var e = Assert.ThrowsExactly<ArgumentException>(() => TrialWorker.Run(new TrialRequest(spec, null!, new TrialRunnerSettings())));

            StringAssert.Contains(e.Message, "The trial request has no data.");
            Assert.AreEqual("request", e.ParamName);
        }
    }
}
