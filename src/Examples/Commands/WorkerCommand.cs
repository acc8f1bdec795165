using System;
using System.ComponentModel;
using System.IO;
using System.Threading;
using global::Hangfire.Logging;
using global::Hangfire.Logging.LogProviders;
using Microsoft.ML.WeightInit.Hangfire;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// A sweep worker: runs the trials that <c>sweep --storage</c> enqueues, one at a time, until Ctrl+C or SIGTERM (the
    /// running trial then goes back to the queue).
    /// </summary>
    public sealed class WorkerCommand : Command<WorkerCommand.Settings>
    {
        /// <summary>Options of <c>worker</c>.</summary>
        public sealed class Settings : StorageSettings
        {
            /// <summary>Threads.</summary>
            [CommandOption("--threads <N>")]
            [Description("libtorch threads per trial (the worker runs one trial at a time). Default: 1.")]
            public int Threads { get; init; } = 1;

            /// <summary>Data directory.</summary>
            [CommandOption("-d|--data <DIR>")]
            [Description("This machine's MNIST directory (IDX files), replacing the one the driver names; its rows must have the driver's checksum. Default: the driver's path.")]
            public string? DataDirectory { get; init; }

            /// <summary>Invisibility timeout.</summary>
            [CommandOption("--invisibility-timeout <TIME>")]
            [Description("A trial whose worker stops sending heartbeats (killed, machine down) is handed to another worker after this long: 90s, 5m, hh:mm:ss. Default: 5m.")]
            public string? InvisibilityTimeout { get; init; }

            /// <inheritdoc/>
            public override ValidationResult Validate()
            {
                if (base.Validate() is { Successful: false } error)
                {
                    return error;
                }
                if (Threads < 1)
                {
                    return ValidationResult.Error($"--threads must be at least 1; got {Threads}.");
                }
                if (DataDirectory is not null && !Directory.Exists(DataDirectory))
                {
                    return ValidationResult.Error($"--data: directory '{Path.GetFullPath(DataDirectory)}' does not exist.");
                }
                return ValidationResult.Success();
            }

            internal override HangfireSweepOptions Options() => StorageOptions.Create(Storage!, Queue, InvisibilityTimeout);
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            // Hangfire's own warnings (lost connections, retried jobs) on standard error.
            LogProvider.SetCurrentLogProvider(new ColouredConsoleLogProvider(LogLevel.Warn));
            var options = settings.Options();
            using var worker = new HangfireTrialWorker(options, settings.Threads,
                settings.DataDirectory is null ? null : Path.GetFullPath(settings.DataDirectory),
                line => Console.Out.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}"));
            Console.Out.WriteLine($"Worker {Environment.MachineName} (pid {Environment.ProcessId}): queue '{options.Queue}' on PostgreSQL at {options.Endpoint}, {settings.Threads} libtorch thread(s), invisibility timeout {options.InvisibilityTimeout}. Ctrl+C stops.");
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                Stop.Cancel();
            });
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Stop.Token);
            worker.RunAsync(linked.Token).GetAwaiter().GetResult();
            Console.Out.WriteLine($"Worker stopped: {worker.TrialsRun} trial(s) run.");
            return 0;
        }

        private static readonly CancellationTokenSource Stop = new();
    }
}
