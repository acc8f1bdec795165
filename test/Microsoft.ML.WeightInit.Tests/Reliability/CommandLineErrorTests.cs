using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Reliability
{
    /// <summary>
    /// Wrong command lines of the Examples app (run as a child process): each prints one clear "Error:" line and exits
    /// non-zero, without a stack trace, and fails before loading data when the arguments alone are wrong.
    /// </summary>
    [TestClass]
    public sealed class CommandLineErrorTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

        [TestMethod]
        [DataRow(new[] { "--init", "bogus" }, "Error: Unknown initializer 'bogus' in 'bogus'. Valid: constant,", DisplayName = "unknown initializer")]
        [DataRow(new[] { "--init", "xavier_uniform(gain=-)" }, "Error: ", DisplayName = "initializer text that does not parse")]
        [DataRow(new[] { "--epochs", "0" }, "Error: --epochs must be at least 1.", DisplayName = "--epochs 0")]
        [DataRow(new[] { "--epochs", "abc" }, "Error: ", DisplayName = "--epochs abc")]
        [DataRow(new[] { "--batch-size", "-1" }, "Error: --batch-size must be at least 1.", DisplayName = "--batch-size -1")]
        [DataRow(new[] { "--lr", "NaN" }, "Error: --lr must be a positive number", DisplayName = "--lr NaN")]
        [DataRow(new[] { "--momentum", "1" }, "Error: --momentum must be in [0, 1).", DisplayName = "--momentum 1")]
        [DataRow(new[] { "--threads", "-2" }, "Error: --threads must be 0", DisplayName = "--threads -2")]
        [DataRow(new[] { "--plan", "weight=zeros; bias=" }, "Error: Initializer plan entry", DisplayName = "plan that does not parse")]
        [DataRow(new[] { "--data", "/nonexistent/mnist" }, "Error: --data: directory '/nonexistent/mnist' does not exist.", DisplayName = "--data missing directory")]
        [DataRow(new[] { "--data", "/tmp", "--sample" }, "Error: --data and --sample exclude each other", DisplayName = "--data with --sample")]
        [DataRow(new[] { "init-stats", "--plan", "foo" }, "Error: Initializer plan entry 'foo': Unknown initializer 'foo'", DisplayName = "init-stats unknown plan")]
        [DataRow(new[] { "init-stats", "--data", "/nonexistent/mnist" }, "Error: --data: directory", DisplayName = "init-stats --data missing")]
        [DataRow(new[] { "images", "--train", "5" }, "Error: --train must be 10 to 6000.", DisplayName = "images --train 5")]
        [DataRow(new[] { "sweep", "--validation", "holdout:abc" }, "Error: --validation 'holdout:abc': expected holdout, holdout:FRACTION", DisplayName = "sweep --validation holdout:abc")]
        [DataRow(new[] { "sweep", "--validation", "cv:1" }, "Error: --validation 'cv:1': expected", DisplayName = "sweep --validation cv:1")]
        [DataRow(new[] { "sweep", "--max-time", "soon" }, "Error: --max-time 'soon': expected e.g. 90s", DisplayName = "sweep --max-time soon")]
        [DataRow(new[] { "compare", "--lr", "0" }, "Error: --lr must be a positive number", DisplayName = "compare --lr 0")]
        [DataRow(new[] { "compare", "--seeds", "1,x" }, "Error: --seeds must be integers", DisplayName = "compare --seeds 1,x")]
        [DataRow(new[] { "compare", "--out", "/dev/null/reports" }, "Error: --out '/dev/null/reports': cannot write", DisplayName = "compare --out unwritable")]
        [DataRow(new[] { "sweep", "--csv", "/dev/null/board.csv" }, "Error: --csv '/dev/null/board.csv': cannot write", DisplayName = "sweep --csv unwritable")]
        [DataRow(new[] { "sweep", "--save-model", "/tmp" }, "Error: --save-model '/tmp' is a directory", DisplayName = "sweep --save-model directory")]
        [DataRow(new[] { "sweep", "--seeds", "1,,2" }, "Error: --seeds '1,,2': '' is not an integer", DisplayName = "sweep --seeds 1,,2")]
        [DataRow(new[] { "compare", "--seeds", "1,,2" }, "Error: --seeds must be integers", DisplayName = "compare --seeds 1,,2")]
        [DataRow(new[] { "compare", "--concurrent", "-1" }, "Error: --concurrent must be 0 (one run per core)", DisplayName = "compare --concurrent -1")]
        [DataRow(new[] { "--threads", "100000" }, "Error: --threads must be 0 (one per core) to", DisplayName = "--threads 100000")]
        [DataRow(new[] { "sweep", "--threads", "100000" }, "Error: --threads must be 0 (one per core) to", DisplayName = "sweep --threads 100000")]
        [DataRow(new[] { "--init", "zeros", "--plan", "weight=ones" }, "Error: --plan gives the whole initialization", DisplayName = "--init with --plan")]
        [DataRow(new[] { "--init", "xavier_uniform(gain=-1)" }, "gain must be ≥ 0", DisplayName = "negative xavier gain")]
        [DataRow(new[] { "--sample", "--epoch", "1" }, "Error: Unknown option 'epoch'.", DisplayName = "misspelled option")]
        [DataRow(new[] { "train", "--sample", "--train-rows", "10" }, "Error: Unknown option 'train-rows'.", DisplayName = "option of another command")]
        [DataRow(new[] { "sweep", "--tuner", "halving", "--eta", "1" }, "Error: --eta: The reduction factor must be at least 2. Got 1.", DisplayName = "sweep --eta 1")]
        [DataRow(new[] { "sweep", "-n", "0" }, "Error: -n/--candidates: Draw at least one candidate. Got 0.", DisplayName = "sweep -n 0")]
        [DataRow(new[] { "sweep", "--tuner", "halving", "--min-epochs", "3", "-e", "1" }, "Error: -e/--epochs: Need 1 ≤ minEpochs ≤ maxEpochs; got 3 and 1.", DisplayName = "sweep --min-epochs above -e")]
        [DataRow(new[] { "nonsense-command" }, "Error: ", DisplayName = "unknown command")]
        public void AWrongArgument_PrintsOneErrorLine_AndExitsNonZero(string[] arguments, string expected)
        {
            var (exitCode, output) = Run(arguments);

            AssertCleanFailure(exitCode, output, expected);
            StringAssert.DoesNotMatch(output, new Regex("^Data: ", RegexOptions.Multiline), "the arguments alone were wrong, yet data was loaded first");
        }

        [TestMethod]
        [DataRow("train")]
        [DataRow("init-stats")]
        [DataRow("images")]
        [DataRow("compare")]
        [DataRow("sweep")]
        [DataRow("trial")]
        public void Help_OfEveryCommand_PrintsItsOptions_AndExitsZero(string command)
        {
            var (exitCode, output) = Run(command, "--help");

            Assert.AreEqual(0, exitCode, output);
            StringAssert.Contains(output, "OPTIONS:");
            Assert.DoesNotContain("Error", output);
        }

        [TestMethod]
        public void ADataDirectoryWithoutMnist_IsReported_NotReplacedByTheCacheOrADownload()
        {
            string directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "weightinit-cli-" + Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                File.WriteAllText(Path.Combine(directory, "train-images-idx3-ubyte"), "not an IDX file");

                var (exitCode, output) = Run("--data", directory, "--epochs", "1");

                AssertCleanFailure(exitCode, output, $"Error: --data {directory}: ");
                StringAssert.Contains(Unwrap(output), "missing train-labels-idx1-ubyte");
                StringAssert.Contains(Unwrap(output), "pass --no-verify to use other IDX data");
                CollectionAssert.AreEquivalent(new[] { "train-images-idx3-ubyte" }, Array.ConvertAll(Directory.GetFiles(directory), Path.GetFileName));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        [TestMethod]
        public void ASweepWhoseTrialsAllFail_SaysNoModelWasSaved_AndExitsNonZero()
        {
            string directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "weightinit-cli-" + Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                string model = Path.Combine(directory, "best.zip");
                var (exitCode, output) = Run("sweep", "--sample", "--train-rows", "300", "--test-rows", "100", "-n", "1", "-e", "1",
                    "--weights", "eye", "--no-log", "--save-model", model, "--threads", "1");

                Assert.AreEqual(1, exitCode, output);
                StringAssert.Contains(Unwrap(output), "no model saved");
                Assert.IsFalse(File.Exists(model));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        [TestMethod]
        public void ADivergingRun_PrintsWhereItDiverged_AndExitsNonZero()
        {
            var (exitCode, output) = Run("--sample", "--epochs", "1", "--lr", "10000", "--momentum", "0.9", "--threads", "1");

            AssertCleanFailure(exitCode, output, "Error: Training diverged: the loss became NaN at epoch 1, step");
        }

        [TestMethod]
        public void APlanForAnUnknownLayer_FailsWhenTheNetIsBuilt_ListingTheLayers()
        {
            var (exitCode, output) = Run("--sample", "--epochs", "1", "--plan", "weight=zeros; conv9.weight=ones");

            AssertCleanFailure(exitCode, output, "unknown layer 'conv9'");
        }

        internal static void AssertCleanFailure(int exitCode, string output, string expected)
        {
            Assert.AreNotEqual(0, exitCode, output);
            StringAssert.Contains(Unwrap(output), expected);
            StringAssert.DoesNotMatch(output, new Regex(@"^\s+at \S+\(", RegexOptions.Multiline), "a stack trace was printed");
            Assert.DoesNotContain("Exception:", output, "an exception type was printed");
        }

        /// <summary>Spectre wraps long lines at the console width: join them back.</summary>
        internal static string Unwrap(string output) => Regex.Replace(output, @" *\r?\n(?!Error:)", " ");

        internal static (int ExitCode, string Output) Run(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(ExamplesApp.AssemblyPath());
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            // No network and no shared cache, whatever a regression would try: mirrors behind a dead proxy, npm
            // offline, the cache in a directory that does not exist.
            start.Environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "weightinit-cli-no-cache", Guid.NewGuid().ToString("N"));
            start.Environment["http_proxy"] = start.Environment["https_proxy"] = "http://127.0.0.1:9";
            start.Environment["npm_config_offline"] = "true";
            var output = new StringBuilder();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"weightinit {string.Join(' ', arguments)} still runs after {Timeout.TotalSeconds} s:\n{output}");
            }
            process.WaitForExit();
            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }

        [TestMethod]
        public void TrialWithAnEmptyRequest_NamesTheMissingField_AndTheRequestFile()
        {
            string request = Path.Combine(Path.GetTempPath(), $"weightinit-cli-request-{Guid.NewGuid():N}.json");
            File.WriteAllText(request, "{}");
            try
            {
                var (exitCode, output) = Run("trial", request);

                AssertCleanFailure(exitCode, output, $"Error: Trial request '{request}': The trial request JSON has no \"spec\"");
                Assert.DoesNotContain("Parameter 'location'", output);
            }
            finally
            {
                File.Delete(request);
            }
        }

        [TestMethod]
        public void TrialWithAnOutputInAMissingDirectory_NamesTheGivenPath_BeforeRunning()
        {
            string request = Path.Combine(Path.GetTempPath(), $"weightinit-cli-request-{Guid.NewGuid():N}.json");
            File.WriteAllText(request, "{}");
            try
            {
                var (exitCode, output) = Run("trial", request, "-o", "/nonexistent/results/r.json");

                AssertCleanFailure(exitCode, output, "Error: --output '/nonexistent/results/r.json': directory '/nonexistent/results' does not exist.");
                Assert.DoesNotContain(".partial", output);
            }
            finally
            {
                File.Delete(request);
            }
        }

        [TestMethod]
        [DataRow("train")]
        [DataRow("init-stats")]
        public void DataThatIsAFile_IsReportedAsAFile_NotAsAMissingDirectory(string command)
        {
            string file = Path.Combine(Path.GetTempPath(), $"weightinit-cli-data-{Guid.NewGuid():N}.idx");
            File.WriteAllText(file, "not a directory");
            try
            {
                var (exitCode, output) = Run(command, "--data", file);

                AssertCleanFailure(exitCode, output, $"Error: '{file}' is a file; --data expects a directory of IDX files.");
                Assert.DoesNotContain("does not exist", output);
                StringAssert.DoesNotMatch(output, new Regex("^Data: ", RegexOptions.Multiline), "the arguments alone were wrong, yet data was loaded first");
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
