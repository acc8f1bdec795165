using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.ML.WeightInit.Tests.Experiments;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

using static Microsoft.ML.WeightInit.Tests.ChildProcess;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>The "steps to reach loss L" column, the sweep candidate's architecture, the deep CNN's convolution check,
    /// and init-stats --arch -i end to end.</summary>
    [TestClass]
    public sealed class StepsAndSignalTests
    {
        [TestMethod]
        public void LossThresholdRecorder_RecordsTheFirstStepWhoseMovingMeanReachesL_AndForwards()
        {
            int forwarded = 0;
            var recorder = new LossThresholdRecorder(1.0, 3, new Forward(() => forwarded++));
            double[] losses = { 3, 0.5, 0.5, 2, 1.2, 0.9, 0.8, 0.1 };
            for (int i = 0; i < losses.Length; i++)
            {
                recorder.Report(new TrainingProgress(1, 1, i + 1, losses.Length, losses[i], 1));
            }
            // Windows ending at steps 3..8: 1.333, 1.0 (step 4: 0.5, 0.5, 2 → 1.0), so step 4 is the first ≤ 1.0.
            Assert.AreEqual(4L, recorder.StepsToThreshold);
            Assert.AreEqual(losses.Length, forwarded);
            var never = new LossThresholdRecorder(0.1, 2, null);
            never.Report(new TrainingProgress(1, 1, 1, 1, 0.01, 1)); // one batch: the window is not full yet
            Assert.IsNull(never.StepsToThreshold);
        }

        [TestMethod]
        public void StepsToLoss_IsSummarizedPerInitializer_OverTheRunsThatReachedIt()
        {
            var result = SyntheticComparison.ThreeSeeds();
            var runs = result.Runs.Select(r => r with { StepsToLoss = r.Initializer == "a" ? 100 + 10 * r.Seed : r.Initializer == "b" && r.Seed == 2 ? 500 : null }).ToList();
            var summary = ComparisonSummary.Create(new ComparisonResult(result.Options, result.Initializers, runs, result.PlannedRuns, true, result.TestSet, result.TrainCount, result.Seconds));

            Assert.AreEqual("120 ± 10 (3/3)", summary.StepsToLossText("a"));
            Assert.AreEqual("500 (1/3)", summary.StepsToLossText("b"));
            Assert.AreEqual("never (0/3)", summary.StepsToLossText("z"));
        }

        [TestMethod]
        public void SweepCandidate_CarriesTheArchitecture_ThroughJson_IntoTheTrainerOptions()
        {
            var candidate = new SweepCandidate("kaiming_normal", "zeros", 0.01, 0.5, 1) { Architecture = "mlp(depth=8)" };
            var back = JsonSerializer.Deserialize<SweepCandidate>(JsonSerializer.Serialize(candidate, SweepJson.Options), SweepJson.Options)!;

            Assert.AreEqual(candidate, back);
            Assert.AreEqual("mlp(depth=8, width=256, activation=relu)", back.Architecture);
            Assert.AreEqual(NetworkArchitecture.Mlp(8), back.ToTrainerOptions().Architecture);
            var spec = new TrialSpec(back, 1, SweepEvaluation.ValidationSet, 0, 1);
            Assert.AreEqual(NetworkArchitecture.Mlp(8), new TrialRunnerSettings().TrainerOptions(spec).Architecture);
            Assert.IsFalse(new TrialRunnerSettings().TextForm.Contains("architecture", StringComparison.Ordinal),
                "the network is the candidate's, not a setting shared by the sweep");
        }

        [TestMethod]
        public void PlainCnnShapes_PassTheFloat64Check_OnTheSelectedPath()
        {
            var architecture = NetworkArchitecture.Parse("plain_cnn(depth=11, width=8)");
            var shapes = PlainCnnNetwork.CheckShapes(architecture, ImageShape.Mnist);

            CollectionAssert.Contains(shapes.ToList(), (8L, 1L, 8L, 30L));
            CollectionAssert.Contains(shapes.ToList(), (8L, 16L, 32L, 9L));
            var selection = ConvolutionPathSelector.For(shapes, PlainCnnNetwork.Kernel);
            Assert.IsTrue(selection.Checks[^1].Passed, selection.ToString());
            Assert.AreSame(selection, ConvolutionPathSelector.For(shapes, PlainCnnNetwork.Kernel), "checked once per process");
        }

        [TestMethod]
        public void InitStats_WithArchAndInitializers_WritesTheSignalReport_WithXavierVanishingAndKaimingNot()
        {
            string output = Path.Combine(Path.GetTempPath(), $"signal-{Guid.NewGuid():N}");
            try
            {
                var (exitCode, text) = RunCli("init-stats", "--sample", "--arch", "mlp(depth=12, width=64, activation=relu)",
                    "-i", "xavier_normal, kaiming_normal", "-o", output);

                Assert.AreEqual(0, exitCode, text);
                CollectionAssert.AreEquivalent(new[] { "signal.md", "signal.csv", "signal.png" }, Directory.GetFiles(output).Select(Path.GetFileName).ToArray());
                var rows = File.ReadAllLines(Path.Combine(output, "signal.csv")).Skip(1).Select(l => l.Split(',')).ToList();
                Assert.AreEqual(24, rows.Count);
                double Std(string init, int layer) => double.Parse(rows.Single(r => r[0] == $"\"{init}\"" && r[2] == layer.ToString(System.Globalization.CultureInfo.InvariantCulture))[4], System.Globalization.CultureInfo.InvariantCulture);
                // Xavier halves the variance per ReLU layer: 10 layers later the std is ~2^-5 of the first; Kaiming keeps it.
                Assert.IsTrue(Std("xavier_normal", 10) / Std("xavier_normal", 0) < 0.1, text);
                Assert.IsTrue(Std("kaiming_normal", 10) / Std("kaiming_normal", 0) > 0.3, text);
                StringAssert.Contains(File.ReadAllText(Path.Combine(output, "signal.md")), "| kaiming_normal |");
            }
            finally
            {
                if (Directory.Exists(output))
                {
                    Directory.Delete(output, recursive: true);
                }
            }
            var (badExit, badText) = RunCli("init-stats", "--sample", "--arch", "mlp(depth=0)", "-i", "xavier_normal");
            Assert.AreNotEqual(0, badExit);
            StringAssert.Contains(badText, "--arch");
            StringAssert.Contains(badText, "depth");
        }

        private sealed class Forward(Action action) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => action();
        }
    }
}
