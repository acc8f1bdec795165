using System;
using System.Collections.Concurrent;
using System.Linq;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Data;
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

        [TestMethod]
        public void TheTrainerInfo_IsReadWithoutAFallback()
        {
            var info = MLNetAccess.CreateTrainerInfo();

            Assert.IsFalse(info.NeedNormalization);
            Assert.IsFalse(info.WantCaching);
        }
    }
}
