using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Runtime
{
    /// <summary>
    /// OMP_WAIT_POLICY=PASSIVE reaches libtorch's OpenMP runtime (libgomp) before it starts, unless the user chose a wait
    /// policy. The end-to-end tests run the Examples app as a real second process with <c>OMP_DISPLAY_ENV</c>, which makes
    /// libgomp print the settings it read when it started.
    /// </summary>
    [TestClass]
    public sealed class OpenMpWaitPolicyTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

        [TestMethod]
        public void Decide_SetsPassive_WhenNobodyChose_AndTheRuntimeIsNotLoaded()
        {
            var policy = OpenMpWaitPolicySetup.Decide(true, _ => null, runtimeLoaded: false);
            Assert.AreEqual(new OpenMpWaitPolicy("OMP_WAIT_POLICY", "PASSIVE", OpenMpWaitPolicySource.Library), policy);
        }

        [TestMethod]
        [DataRow("OMP_WAIT_POLICY", "active")]
        [DataRow("GOMP_SPINCOUNT", "300000")]
        [DataRow("KMP_BLOCKTIME", "200")]
        public void Decide_KeepsTheUsersVariable(string name, string value)
        {
            var env = new Dictionary<string, string> { [name] = value };
            var policy = OpenMpWaitPolicySetup.Decide(true, n => env.GetValueOrDefault(n), runtimeLoaded: false);
            Assert.AreEqual(new OpenMpWaitPolicy(name, value, OpenMpWaitPolicySource.User), policy);
            Assert.Contains("set in the environment by the user", policy.ToString());
        }

        [TestMethod]
        public void Decide_SaysTooLate_WhenTheRuntimeWasLoadedFirst_AndOnUnsupportedPlatforms()
        {
            Assert.AreEqual(OpenMpWaitPolicySource.RuntimeAlreadyLoaded, OpenMpWaitPolicySetup.Decide(true, _ => null, runtimeLoaded: true).Source);
            Assert.AreEqual(OpenMpWaitPolicySource.NotSupported, OpenMpWaitPolicySetup.Decide(false, _ => "x", runtimeLoaded: false).Source);
        }

        [TestMethod]
        public void InThisProcess_ThePolicyIsInTheNativeEnvironment_WhenTheLibrarySetIt()
        {
            var policy = TorchRuntime.OpenMpWaitPolicy;
            if (!NativeEnvironment.IsSupported)
            {
                Assert.Inconclusive("The native environment is set on Linux and macOS only.");
            }
            // The test host may have loaded libtorch before this assembly (then the library must say so, not set it).
            Assert.AreEqual(policy.Value, NativeEnvironment.Get(policy.Variable));
            if (policy.Source == OpenMpWaitPolicySource.Library)
            {
                Assert.AreEqual("PASSIVE", NativeEnvironment.Get("OMP_WAIT_POLICY"));
                // .NET's own copy of the environment is not where native code reads: the value came from setenv.
                Assert.IsNull(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
            }
        }

        [TestMethod]
        public void SecondProcess_LibgompStartsWithPassiveWaiting()
        {
            var (stdout, stderr) = RunInitStats(new Dictionary<string, string>());
            // Unset, libgomp would spin 300,000 times (it displays an unset policy as PASSIVE too): 0 shows it read ours.
            StringAssert.Contains(stderr, "OMP_WAIT_POLICY = 'PASSIVE'", "libgomp did not read PASSIVE at start-up");
            StringAssert.Contains(stderr, "GOMP_SPINCOUNT = '0'", "libgomp did not read PASSIVE at start-up");
            StringAssert.Contains(Unwrap(stdout), "OMP_WAIT_POLICY=PASSIVE (set by Microsoft.ML.WeightInit before libtorch loaded)");
        }

        [TestMethod]
        public void SecondProcess_TheUsersWaitPolicyIsKept()
        {
            var (stdout, stderr) = RunInitStats(new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "active" });
            StringAssert.Contains(stderr, "OMP_WAIT_POLICY = 'ACTIVE'");
            Assert.DoesNotContain("GOMP_SPINCOUNT = '0'", stderr);
            StringAssert.Contains(Unwrap(stdout), "OMP_WAIT_POLICY=active (set in the environment by the user; left as is)");
        }

        [TestMethod]
        public void SecondProcess_TheUsersSpinCountIsKept_AndNoPolicyIsAdded()
        {
            var (stdout, stderr) = RunInitStats(new Dictionary<string, string> { ["GOMP_SPINCOUNT"] = "12345" });
            // (libgomp displays an unset policy as PASSIVE whatever the spin count, so only the spin count tells.)
            StringAssert.Contains(stderr, "GOMP_SPINCOUNT = '12345'");
            StringAssert.Contains(Unwrap(stdout), "GOMP_SPINCOUNT=12345 (set in the environment by the user; left as is)");
        }

        /// <summary>Runs <c>init-stats --sample</c> (loads libtorch, prints the wait policy) with libgomp's settings
        /// display on and the given OpenMP variables (all others removed).</summary>
        private static (string Stdout, string Stderr) RunInitStats(Dictionary<string, string> openMp)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(ExamplesApp.AssemblyPath());
            start.ArgumentList.Add("init-stats");
            start.ArgumentList.Add("--sample");
            foreach (var name in OpenMpWaitPolicySetup.UserVariables)
            {
                start.Environment.Remove(name);
            }
            foreach (var (name, value) in openMp)
            {
                start.Environment[name] = value;
            }
            start.Environment["OMP_DISPLAY_ENV"] = "VERBOSE";
            start.Environment["COLUMNS"] = "400";
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"init-stats still runs after {Timeout.TotalSeconds} s:\n{stdout}\n{stderr}");
            }
            process.WaitForExit();
            lock (stdout)
            {
                lock (stderr)
                {
                    Assert.AreEqual(0, process.ExitCode, $"init-stats failed:\n{stdout}\n{stderr}");
                    return (stdout.ToString(), stderr.ToString());
                }
            }
        }

        /// <summary>Spectre wraps long lines at the console width: join them back.</summary>
        private static string Unwrap(string output) => string.Join(" ", output.Split('\n').Select(l => l.TrimEnd('\r').Trim()));
    }
}
