using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Tests.Interop;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Trainers
{
    /// <summary>
    /// What the trainer reads from ML.NET's internals is the user's own environment: the catalogs it builds scoring
    /// chains from log to the user's <see cref="MLContext"/> (a new MLContext, the old fallback, would swallow its
    /// messages and ignore its seed).
    /// </summary>
    [TestClass]
    public sealed class MLNetAccessTests
    {
        [TestMethod]
        [DataRow("trainers")]
        [DataRow("model")]
        public void TheCatalogsBehindACatalog_LogToTheUsersContext(string catalog)
        {
            var mlContext = new MLContext(seed: 3);
            var messages = new ConcurrentQueue<LoggingEventArgs>();
            mlContext.Log += (_, e) => messages.Enqueue(e);
            var data = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Test), 50);
            IHostEnvironment environment = catalog == "trainers"
                ? MLNetAccess.EnvironmentOf(mlContext.MulticlassClassification.Trainers)
                : MLNetAccess.EnvironmentOf(mlContext.Model);

            var catalogs = MLNetAccess.CatalogsOf(environment);
            catalogs.Transforms.Conversion.MapValueToKey("Label").Fit(data);

            Assert.IsFalse(environment is MLContext, "ML.NET's catalogs hold the context's inner environment, not the MLContext");
            Assert.IsTrue(messages.Any(m => m.Source.Contains("ValueToKey", StringComparison.OrdinalIgnoreCase) || m.Source.Contains("Term", StringComparison.OrdinalIgnoreCase)),
                $"the user's log heard nothing from the transform: {string.Join(" | ", messages.Select(m => m.Source).Distinct())}");
        }

        /// <summary>The transformer builds its scoring chain (ONNX graph, label lookup, key mapping) in the user's
        /// environment: the chain's components log to the user's context when it first scores.</summary>
        [TestMethod]
        public void AnInitCnnTransformer_BuildsItsScoringChainInTheUsersContext()
        {
            var mlContext = new MLContext(seed: 0);
            using var stream = new MemoryStream(StateDictFiles.Zip(StateDictFiles.MnistNet()));
            using var model = mlContext.Model.ImportInitCnn(stream);
            var data = mlContext.Data.LoadFromEnumerable(new[] { new DigitRow { Features = new float[784] } });
            var messages = new ConcurrentQueue<LoggingEventArgs>();
            mlContext.Log += (_, e) => messages.Enqueue(e);

            var scored = model.Transform(data);
            _ = mlContext.Data.CreateEnumerable<ScoreRow>(scored, reuseRowObject: false).Single();

            Assert.IsTrue(messages.Any(m => m.Source.Contains("Onnx", StringComparison.OrdinalIgnoreCase)
                    || m.Source.Contains("ValueToKey", StringComparison.OrdinalIgnoreCase) || m.Source.Contains("Term", StringComparison.OrdinalIgnoreCase)),
                $"the user's log heard nothing from the scoring chain: {string.Join(" | ", messages.Select(m => m.Source).Distinct())}");
        }

        private sealed class ScoreRow
        {
            public float[] Score { get; set; } = Array.Empty<float>();
        }

        [TestMethod]
        public void TheTrainerInfo_IsReadWithoutAFallback()
        {
            var info = MLNetAccess.CreateTrainerInfo();

            Assert.IsFalse(info.NeedNormalization);
            Assert.IsFalse(info.WantCaching);
        }
    }
}
