using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps.Distributed
{
    /// <summary>The Examples app's <c>worker</c> (or another command) as a real child process, its output collected.</summary>
    internal sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _output = new();

        private WorkerProcess(IEnumerable<string> arguments)
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
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => { lock (_output) { _output.Add(e.Data ?? string.Empty); } };
            _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.Add(e.Data ?? string.Empty); } };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return string.Join('\n', _output);
                }
            }
        }

        /// <summary>Starts <c>worker --storage … --invisibility-timeout …</c> and waits until it listens.</summary>
        public static WorkerProcess StartWorker(string connectionString, TimeSpan invisibilityTimeout, params string[] extra)
        {
            var worker = Start(new[] { "worker", "--storage", connectionString, "--threads", "1",
                "--invisibility-timeout", $"{(int)invisibilityTimeout.TotalSeconds}s" }.Concat(extra));
            worker.WaitFor("Ctrl+C stops", TimeSpan.FromSeconds(60));
            return worker;
        }

        /// <summary>Starts the app with these arguments.</summary>
        public static WorkerProcess Start(IEnumerable<string> arguments) => new(arguments);

        /// <summary>Waits until a line of output contains <paramref name="text"/>; fails the test (with the output) otherwise.</summary>
        public void WaitFor(string text, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                if (_process.HasExited)
                {
                    _process.WaitForExit(); // flushes the output
                    if (Output.Contains(text, StringComparison.Ordinal))
                    {
                        return;
                    }
                    Assert.Fail($"The process exited (code {_process.ExitCode}) before printing '{text}'. Output:\n{Output}");
                }
                if (watch.Elapsed > timeout)
                {
                    Assert.Fail($"'{text}' not seen within {timeout.TotalSeconds:F0} s. Output:\n{Output}");
                }
                Thread.Sleep(100);
            }
        }

        /// <summary>Waits for the process to exit; its exit code.</summary>
        public int WaitForExit(TimeSpan timeout)
        {
            Assert.IsTrue(_process.WaitForExit(timeout), $"the process did not exit within {timeout.TotalSeconds:F0} s. Output:\n{Output}");
            _process.WaitForExit();
            return _process.ExitCode;
        }

        /// <summary>kill -9, no cleanup.</summary>
        public void KillHard()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
