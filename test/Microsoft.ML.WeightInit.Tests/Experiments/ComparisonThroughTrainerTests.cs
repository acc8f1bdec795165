using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>
    /// Issue 14, one settings record: a comparison run is a fit of the trainer with the comparison's
    /// <see cref="ComparisonOptions.TrainerOptions"/>, its seed and initializers, scoring the test data after every epoch.
    /// </summary>
    [TestClass]
    public sealed class ComparisonThroughTrainerTests
    {
        [TestMethod]
        public void ARun_EqualsAFitWithTheSameTrainerOptions_BitForBit()
        {
            var mlContext = new MLContext(seed: 0);
            var (keyedTrain, keyedTest) = SampleData.Keyed(mlContext);
            var train = mlContext.Data.TakeRows(keyedTrain, 256);
            var test = mlContext.Data.TakeRows(keyedTest, 200);
            // Not the defaults (batch 64, lr 0.01, 5 epochs): a comparison that ignored TrainerOptions would differ.
            var options = new ComparisonOptions
            {
                Initializers = new[] { "xavier_uniform(gain=1.5)" },
                Seeds = new long[] { 3 },
                TrainerOptions = { NumberOfEpochs = 2, BatchSize = 32, LearningRate = 0.05, Momentum = 0.8 },
            };

            var run = InitializerComparison.Run(mlContext, train, test, options).Runs.Single();

            var fitOptions = new InitCnnTrainer.Options
            {
                NumberOfEpochs = 2, BatchSize = 32, LearningRate = 0.05, Momentum = 0.8, Seed = 3,
                WeightInitializer = WeightInitializer.Parse("xavier_uniform(gain=1.5)"), BiasInitializer = new ZerosInitializer(),
                ValidationSet = test,
            };
            using var fitted = mlContext.MulticlassClassification.Trainers.InitCnn(fitOptions).Fit(train);
            var history = fitted.Model.History;

            Assert.AreEqual(2, run.History.Count);
            Assert.AreEqual(history.Count, run.History.Count);
            for (int i = 0; i < history.Count; i++)
            {
                Assert.AreEqual(history[i].TrainingLoss, run.History[i].TrainingLoss, 0.0, $"epoch {i + 1} training loss");
                Assert.AreEqual(history[i].ValidationLoss, run.History[i].ValidationLoss, 0.0, $"epoch {i + 1} test loss");
                Assert.AreEqual(history[i].ValidationAccuracy, run.History[i].ValidationAccuracy, 0.0, $"epoch {i + 1} test accuracy");
            }
            Assert.AreEqual("zeros", run.BiasInitializer);
        }
    }
}
