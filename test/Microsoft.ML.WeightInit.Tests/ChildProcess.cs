using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests
{
    /// <summary>Runs a real second process (PyTorch 1.13 as the oracle, a CLI) and collects what it printed.</summary>
    internal static class ChildProcess
    {
        /// <summary>Debian's Python with PyTorch 1.13 (package python3-torch), the oracle of the parity tests.</summary>
        public const string Python = "/usr/bin/python3";

        /// <summary>Runs <paramref name="file"/> to its end (COLUMNS=400, so console tables are not wrapped); fails the
        /// test and kills the process tree when it runs longer than 10 minutes.</summary>
        /// <returns>The exit code and standard output followed by standard error.</returns>
        public static (int ExitCode, string Output) Run(string file, params string[] arguments) => Run(file, arguments, TimeSpan.FromMinutes(10));

        /// <summary>Runs the built Examples app (the <c>weightinit</c> CLI) with <paramref name="arguments"/>; fails the
        /// test when it runs longer than 3 minutes.</summary>
        /// <returns>The exit code and standard output followed by standard error.</returns>
        public static (int ExitCode, string Output) RunCli(params string[] arguments) =>
            Run("dotnet", new[] { ExamplesApp.AssemblyPath() }.Concat(arguments).ToArray(), TimeSpan.FromMinutes(3));

        private static (int ExitCode, string Output) Run(string file, string[] arguments, TimeSpan timeout)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["COLUMNS"] = "400"; // a CLI child's tables are not wrapped at 80 columns
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{Path.GetFileName(file)} {string.Join(' ', arguments.Take(2))} … still runs after {timeout.TotalMinutes} minutes");
            }
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
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
