using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>The experiment's side of scale-out, with a stand-in for a remote executor (no training).</summary>
    [TestClass]
    public sealed class ConcurrentTrialsTests
    {
        [TestMethod]
        public async Task RunnerThatSupportsIt_GetsTheTrialsOfARungConcurrently_AllLogged()
        {
            string log = Path.Combine(Path.GetTempPath(), $"sweep-concurrent-{Guid.NewGuid():N}.jsonl");
            try
            {
                var runner = new RemoteStandIn();
                var space = InitializerSearchSpace.Parse("weight=xavier_uniform(gain=0.5..2); bias=zeros; epochs=1");

                using var result = await new SweepExperiment(new MLContext(seed: 0), new RandomTuner(space, 6, seed: 2), runner,
                    new SweepOptions { MaxConcurrentTrials = 3, TrialLogPath = log }).RunAsync();

                Assert.AreEqual(6, result.TrialsRun);
                Assert.AreEqual(3, runner.MostInFlight);
                Assert.AreEqual(1 + 6, File.ReadAllLines(log).Length);
                Assert.IsNull(result.BestModel, "only the in-process runner makes models");
                Assert.AreEqual(result.Leaderboard.Best!.Candidate, result.BestTrial!.Spec.Candidate);
            }
            finally
            {
                File.Delete(log);
            }
        }

        [TestMethod]
        public void InProcessRunner_RefusesConcurrentTrials()
        {
            var (mlContext, train, _) = SweepTestData.Load();
            using var runner = new InProcessTrialRunner(mlContext, train);
            var tuner = new GridTuner(InitializerSearchSpace.Parse("weight=zeros"));

            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
                new SweepExperiment(mlContext, tuner, runner, new SweepOptions { MaxConcurrentTrials = 2 }));
            StringAssert.Contains(e.Message, "MaxConcurrentTrials");
        }

        /// <summary>Answers after a short delay, as a remote executor would, with a made-up metric.</summary>
        private sealed class RemoteStandIn : ITrialRunner
        {
            private int _inFlight;

            public int MostInFlight { get; private set; }

            public string DataDescription => "stand-in";

            public bool SupportsConcurrentTrials => true;

            public async Task<TrialResult> RunAsync(TrialSpec spec, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
            {
                int now = Interlocked.Increment(ref _inFlight);
                lock (this)
                {
                    MostInFlight = Math.Max(MostInFlight, now);
                }
                await Task.Delay(150, cancellationToken);
                Interlocked.Decrement(ref _inFlight);
                double gain = double.Parse(spec.Candidate.Weight.Split('=')[1].TrimEnd(')'), System.Globalization.CultureInfo.InvariantCulture);
                return new TrialResult
                {
                    Spec = spec,
                    Status = TrialStatus.Completed,
                    Metrics = new EvaluationMetrics(1 / (1 + Math.Abs(gain - 1)), 0.5, 1, 0),
                    EpochsTrained = spec.Epochs,
                };
            }
        }
    }
}
