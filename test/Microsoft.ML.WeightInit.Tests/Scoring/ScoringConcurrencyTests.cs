using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Tests.Interop;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Scoring
{
    /// <summary>
    /// What the README's "Thread safety" section promises: one model (trained, imported or plainly loaded from a zip)
    /// scores from several threads at once with the same results as from one, through Transform and through one
    /// PredictionEngine per thread.
    /// </summary>
    [TestClass]
    public sealed class ScoringConcurrencyTests
    {
        private const int Threads = 4;
        private const int Rows = 40;

        [TestMethod]
        public void OnePredictionEnginePerThread_OverOneModel_GivesTheSingleThreadedScores()
        {
            var mlContext = new MLContext(seed: 0);
            using var stream = new MemoryStream(StateDictFiles.Zip(StateDictFiles.MnistNet()));
            using var model = mlContext.Model.ImportInitCnn(stream);
            var inputs = Enumerable.Range(0, Rows).Select(i => new DigitRow { Features = Image(i, 784) }).ToArray();
            var engine = mlContext.Model.CreatePredictionEngine<DigitRow, KeyPrediction>(model);
            var expected = inputs.Select(r => engine.Predict(r).Score.ToArray()).ToArray();

            var results = RunTogether(() =>
            {
                var own = mlContext.Model.CreatePredictionEngine<DigitRow, KeyPrediction>(model);
                return inputs.Select(r => own.Predict(r).Score.ToArray()).ToArray();
            });

            foreach (var scores in results)
            {
                for (int i = 0; i < Rows; i++)
                {
                    CollectionAssert.AreEqual(expected[i], scores[i], $"row {i}");
                }
            }
        }

        [TestMethod]
        public void APlainlyLoadedZip_ScoredFromSeveralThreadsBeforeItsFirstUse_GivesTheSameScores()
        {
            // The loaded chain decodes its weights lazily, on first use: all threads start together to race for it.
            var mlContext = new MLContext(seed: 0);
            var model = mlContext.Model.Load(Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "initcnn-format2.zip"), out _);
            var data = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => new SmallRow { Features = Image(i, 256) }));

            var results = RunTogether(() => mlContext.Data.CreateEnumerable<ValuePrediction>(model.Transform(data), reuseRowObject: false)
                .Select(p => p.Score).ToArray());

            foreach (var scores in results.Skip(1))
            {
                for (int i = 0; i < Rows; i++)
                {
                    CollectionAssert.AreEqual(results[0][i], scores[i], $"row {i}");
                }
            }
        }

        private static T[] RunTogether<T>(Func<T> work)
        {
            using var start = new Barrier(Threads);
            return Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return work();
            }, TaskCreationOptions.LongRunning))).GetAwaiter().GetResult();
        }

        private static float[] Image(int seed, int size) =>
            Enumerable.Range(0, size).Select(j => ((seed * 31 + j * 17) % 97) / 97f).ToArray();

        private sealed class KeyPrediction
        {
            public float[] Score { get; set; } = Array.Empty<float>();
        }

        private sealed class SmallRow
        {
            public uint Label { get; set; }

            [VectorType(256)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }

        private sealed class ValuePrediction
        {
            public uint PredictedLabel { get; set; }

            public float[] Score { get; set; } = Array.Empty<float>();
        }
    }
}
