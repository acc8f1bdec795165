using System.Diagnostics;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests
{
    /// <summary>Runs a real second process (PyTorch 1.13 as the oracle, a CLI) and collects what it printed.</summary>
    internal static class ChildProcess
    {
        /// <summary>Debian's Python with PyTorch 1.13 (package python3-torch), the oracle of the parity tests.</summary>
        public const string Python = "/usr/bin/python3";

        /// <summary>Runs <paramref name="file"/> to its end (COLUMNS=400, so console tables are not wrapped).</summary>
        /// <returns>The exit code and standard output followed by standard error.</returns>
        public static (int ExitCode, string Output) Run(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["COLUMNS"] = "400"; // a CLI child's tables are not wrapped at 80 columns
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }

        /// <summary>Marks the test inconclusive when <see cref="Python"/> cannot import torch and numpy.</summary>
        public static void RequirePyTorch()
        {
            if (!File.Exists(Python) || Run(Python, "-c", "import torch, numpy").ExitCode != 0)
            {
                Assert.Inconclusive($"{Python} cannot import torch and numpy: install Debian's python3-torch.");
            }
        }
    }
}
