using System;
using System.Diagnostics;
using System.IO;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Reliability
{
    /// <summary>
    /// Issue 15: every count and tolerance is bounded by what the data and float32 can reach, and every wrong value
    /// is an "Error:" line naming the option (or the file) and what was expected, before any training.
    /// </summary>
    [TestClass]
    public sealed class BoundedParameterTests
    {
        [TestMethod]
        [DataRow(new[] { "--epochs", "2147483648" }, "Error: --epochs '2147483648': expected an integer from -2147483648 to 2147483647.", DisplayName = "--epochs 2147483648")]
        [DataRow(new[] { "train", "--epochs=99999999999" }, "Error: --epochs '99999999999': expected an integer", DisplayName = "train --epochs=99999999999")]
        [DataRow(new[] { "sweep", "-n", "1e3" }, "Error: -n '1e3': expected an integer", DisplayName = "sweep -n 1e3")]
        [DataRow(new[] { "images", "--test", "-" }, "Error: --test '-': expected an integer", DisplayName = "images --test -")]
        [DataRow(new[] { "sweep", "--max-time", "1e9h" }, "Error: --max-time '1e9h': at most 1176h (49 days)", DisplayName = "--max-time 1e9h")]
        [DataRow(new[] { "sweep", "--max-time", "99999999h" }, "Error: --max-time '99999999h': at most 1176h", DisplayName = "--max-time 99999999h")]
        [DataRow(new[] { "sweep", "--max-time", "Infinityh" }, "Error: --max-time 'Infinityh': expected e.g. 90s", DisplayName = "--max-time Infinityh")]
        [DataRow(new[] { "sweep", "--seeds", "1,1" }, "Error: --seeds '1,1' lists seed 1 twice", DisplayName = "sweep --seeds 1,1")]
        [DataRow(new[] { "compare", "-o", "" }, "Error: --out is empty; expected a directory path.", DisplayName = "compare -o \"\"")]
        [DataRow(new[] { "sweep", "--csv", " " }, "Error: --csv is empty; expected a file path.", DisplayName = "sweep --csv \" \"")]
        [DataRow(new[] { "sweep", "--log", "/dev/null" }, "Error: --log '/dev/null' is a device or FIFO; expected a regular file", DisplayName = "sweep --log /dev/null")]
        [DataRow(new[] { "sweep", "--validation", "cv:100000" }, "Error: --validation 'cv:100000': expected holdout, holdout:FRACTION (0 < FRACTION < 1), cv, cv:K (2 ≤ K ≤ 100)", DisplayName = "sweep --validation cv:100000")]
        [DataRow(new[] { "init-stats", "--plan", "weight=lsuv(tol=1e-300, max_iterations=10)" }, "tol must be a finite number ≥ 1E-05", DisplayName = "lsuv tol=1e-300")]
        [DataRow(new[] { "init-stats", "--plan", "weight=lsuv(max_iterations=9223372036854775807)" }, "max_iterations must be 1 to 1000; got 9223372036854775807", DisplayName = "lsuv max_iterations=2^63-1")]
        public void AnOutOfBoundsValue_IsAnErrorNamingTheOption_BeforeAnyData(string[] arguments, string expected)
        {
            var (exitCode, output) = CommandLineErrorTests.Run(arguments);

            CommandLineErrorTests.AssertCleanFailure(exitCode, output, expected);
            StringAssert.DoesNotMatch(output, new System.Text.RegularExpressions.Regex("^Data: ", System.Text.RegularExpressions.RegexOptions.Multiline));
        }

        [TestMethod]
        [DataRow("cv:100", DisplayName = "cv:100 (more folds than 300 rows fill at random)")]
        [DataRow("cv:100 ", DisplayName = "cv:100 with a space")]
        public void CrossValidationWithAnEmptyFold_FailsBeforeTheFirstTrial_NamingValidation(string validation)
        {
            var watch = Stopwatch.StartNew();
            var (exitCode, output) = CommandLineErrorTests.Run("sweep", "--sample", "--train-rows", "300", "--test-rows", "100",
                "--validation", validation, "--no-log", "-n", "1", "-e", "1", "--threads", "1");

            CommandLineErrorTests.AssertCleanFailure(exitCode, output, $"Error: --validation '{validation}' on ");
            StringAssert.Contains(CommandLineErrorTests.Unwrap(output), "leaves no validation rows of the 300 training rows");
            Assert.DoesNotContain("Trial ", output, "a trial ran before the folds were checked");
            Assert.IsLessThan(60, watch.Elapsed.TotalSeconds);
        }

        [TestMethod]
        public void TooFewTrainingRowsForTwoClasses_NameTrainRows()
        {
            var (exitCode, output) = CommandLineErrorTests.Run("sweep", "--sample", "--train-rows", "1", "--no-log", "-n", "1", "-e", "1", "--threads", "1");

            CommandLineErrorTests.AssertCleanFailure(exitCode, output, "Error: --train-rows 1: the first 1 training rows hold fewer than 2 classes");
        }

        [TestMethod]
        public void TheSweepApi_ChecksTheFoldsAgainstTheData_BeforeAnyTrial()
        {
            var mlContext = new MLContext(seed: 0);
            var location = new SweepDataLocation { TrainRows = 300, ValidationRows = 100 };
            using var runner = InProcessTrialRunner.Create(mlContext, location);

            var e = Assert.ThrowsExactly<InvalidOperationException>(() => runner.CheckEvaluation(SweepEvaluation.CrossValidation(100)));

            StringAssert.Contains(e.Message, "no validation rows of the 300 training rows");
            Assert.Throws<ArgumentOutOfRangeException>(() => SweepEvaluation.CrossValidation(SweepEvaluation.MaxFolds + 1));
            runner.CheckEvaluation(SweepEvaluation.CrossValidation(5)); // 60 rows a fold: fine
        }

        [TestMethod]
        public void SweepOptions_MaxTimeBeyondWhatATimerCanWait_IsRejectedWithTheBound()
        {
            var mlContext = new MLContext(seed: 0);
            var space = InitializerSearchSpace.Parse("weight=zeros; bias=zeros; lr=0.01; momentum=0.5; epochs=1");
            using var runner = InProcessTrialRunner.Create(mlContext, new SweepDataLocation { TrainRows = 300, ValidationRows = 100 });

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SweepExperiment(mlContext, new GridTuner(space, 1), runner,
                new SweepOptions { MaxTime = TimeSpan.FromHours(99999999) }));

            StringAssert.Contains(e.Message, "at most 49 days");
        }

        [TestMethod]
        [DataRow(1e-300, 10L, "tol")]
        [DataRow(0.1, 9223372036854775807L, "max_iterations")]
        [DataRow(0.1, 1001L, "max_iterations")]
        public void Lsuv_UnreachableToleranceOrUnboundedIterations_AreRejectedWithTheBound(double tol, long maxIterations, string parameter)
        {
            var e = Assert.Throws<ArgumentException>(() => new LsuvInitializer(tol, maxIterations).ValidateParameters());

            Assert.AreEqual(parameter, e.ParamName);
            StringAssert.Contains(e.Message, parameter == "tol" ? "≥ 1E-05" : "1 to 1000");
            new LsuvInitializer(LsuvInitializer.MinTol, LsuvInitializer.MaxMaxIterations).ValidateParameters(); // the bounds themselves are accepted
        }
    }
}
