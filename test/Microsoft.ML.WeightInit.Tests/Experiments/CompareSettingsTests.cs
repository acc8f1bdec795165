using System.Linq;
using Microsoft.ML.WeightInit.Examples.Commands;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>The compare command's option parsing: initializer lists and seeds.</summary>
    [TestClass]
    public sealed class CompareSettingsTests
    {
        [TestMethod]
        public void Initializers_SplitAtTopLevelCommasAndSemicolons_Only()
        {
            var settings = new CompareCommand.Settings
            {
                Init = new[] { "xavier_uniform(gain=1.5), kaiming_normal(mode=fan_out, nonlinearity=relu)", "zeros; ones" },
            };

            CollectionAssert.AreEqual(
                new[] { "xavier_uniform(gain=1.5)", "kaiming_normal(mode=fan_out, nonlinearity=relu)", "zeros", "ones" },
                settings.Initializers.ToArray());
        }

        [TestMethod]
        public void Defaults_AreTheArticlesTenInitializers_FiveEpochs_SeedOne()
        {
            var settings = new CompareCommand.Settings();

            CollectionAssert.AreEqual(ComparisonOptions.ArticleInitializers.ToArray(), settings.Initializers.ToArray());
            Assert.AreEqual(10, settings.Initializers.Count);
            Assert.AreEqual(5, settings.Epochs);
            CollectionAssert.AreEqual(new long[] { 1 }, settings.SeedList.ToArray());
            Assert.AreEqual(0, settings.Concurrent, "one run per core");
            Assert.IsTrue(settings.Validate().Successful, settings.Validate().Message);
        }

        [TestMethod]
        public void Seeds_ParseAsAList_AndBadValuesAreRejected()
        {
            CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, new CompareCommand.Settings { Seeds = "1, 2,3" }.SeedList.ToArray());
            Assert.IsFalse(new CompareCommand.Settings { Seeds = "1,x" }.Validate().Successful);
            StringAssert.Contains(new CompareCommand.Settings { Seeds = "1,1" }.Validate().Message, "seed 1 twice");
            StringAssert.Contains(new CompareCommand.Settings { Init = new[] { "xavier_uniform, xavier_uniform(gain=1.0)" } }.Validate().Message,
                "'xavier_uniform' and 'xavier_uniform(gain=1.0)'");
            Assert.IsFalse(new CompareCommand.Settings { Init = new[] { "no_such_scheme" } }.Validate().Successful);
        }

        [TestMethod]
        public void TrainingNumbersAndDataDirectory_AreCheckedAsInTrain_NamingTheOption()
        {
            static string Error(CompareCommand.Settings s) => s.Validate() is { Successful: false } r ? r.Message! : "accepted";

            StringAssert.Contains(Error(new CompareCommand.Settings { LearningRate = 0 }), "--lr");
            StringAssert.Contains(Error(new CompareCommand.Settings { LearningRate = double.NaN }), "--lr");
            StringAssert.Contains(Error(new CompareCommand.Settings { Momentum = 1 }), "--momentum");
            StringAssert.Contains(Error(new CompareCommand.Settings { Epochs = 0 }), "--epochs");
            StringAssert.Contains(Error(new CompareCommand.Settings { Threads = -1 }), "--threads");
            StringAssert.Contains(Error(new CompareCommand.Settings { TrainRows = -1 }), "--train-rows");
            StringAssert.Contains(Error(new CompareCommand.Settings { Concurrent = -1 }), "--concurrent must be 0 (one run per core), 1 (one after another) or more; got -1.");
            Assert.AreEqual("accepted", Error(new CompareCommand.Settings { Concurrent = 3 }));
            StringAssert.Contains(Error(new CompareCommand.Settings { DataDirectory = "/no/such/mnist/dir" }), "/no/such/mnist/dir");
            // The same checks, from the same class, in train.
            StringAssert.Contains(new TrainCommand.Settings { LearningRate = -1 }.Validate().Message, "--lr");
        }
    }
}
