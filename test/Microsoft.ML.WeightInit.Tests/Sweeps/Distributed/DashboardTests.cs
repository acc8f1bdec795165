using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Microsoft.ML.WeightInit.Hangfire;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps.Distributed
{
    /// <summary>The <c>dashboard</c> command serves Hangfire's dashboard of a sweep's storage, opened in headless Chromium;
    /// a trial job's page shows its candidate, the network included.</summary>
    [TestClass]
    public sealed class DashboardTests
    {
        [TestMethod]
        [Timeout(300_000, CooperativeCancellation = true)]
        public void Dashboard_ShowsTheSweepsTrialJobs_ReadOnly_OnLocalhost()
        {
            string db = TestPostgres.CreateDatabase();
            try
            {
                var options = new HangfireSweepOptions(db) { PollInterval = TimeSpan.FromMilliseconds(200) };
                var data = SweepDataLocation.Sample with { TrainRows = 200, ValidationRows = 100 };
                var remote = new HangfireTrialRunner(options, data, new TrialRunnerSettings { NumberOfThreads = 1 });
                var candidate = new SweepCandidate("xavier_uniform", "zeros", 0.05, 0.5, 1) { Architecture = "mlp(depth=3, width=16)" };
                var spec = new TrialSpec(candidate, 1, SweepEvaluation.ValidationSet, 0, 1);
                using (var worker = WorkerProcess.StartWorker(db, TimeSpan.FromSeconds(30)))
                {
                    Assert.IsTrue(remote.RunAsync(spec, null, default).Wait(TimeSpan.FromSeconds(120)), worker.Output);
                }

                int port = FreePort();
                using var dashboard = WorkerProcess.Start(new[] { "dashboard", "--storage", db, "--port", $"{port}" });
                dashboard.WaitFor($"http://127.0.0.1:{port}/hangfire", TimeSpan.FromSeconds(60));
                StringAssert.Contains(dashboard.Output, "read-only");

                string succeeded = HeadlessChromium.DumpDom($"http://127.0.0.1:{port}/hangfire/jobs/succeeded");
                StringAssert.Contains(succeeded, $"weightinit trial {spec.Id}", $"the trial's job is not listed:\n{succeeded}");
                Assert.IsFalse(succeeded.Contains("Requeue jobs", StringComparison.Ordinal), "read-only: no requeue button");
                string jobId = SweepStorage.Open(options).GetMonitoringApi().SucceededJobs(0, 10).Single().Key;
                string details = HeadlessChromium.DumpDom($"http://127.0.0.1:{port}/hangfire/jobs/details/{jobId}");
                StringAssert.Contains(details, "mlp(depth=3, width=16, activation=relu)", $"the job's page shows the candidate's network:\n{details}");
                string home = HeadlessChromium.DumpDom($"http://127.0.0.1:{port}/hangfire");
                StringAssert.Contains(home, "weightinit sweeps");
            }
            finally
            {
                TestPostgres.DropDatabase(db);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
