using System;
using System.ComponentModel;
using System.IO;
using System.Threading;
using Microsoft.ML.WeightInit.IO;
using Microsoft.ML.WeightInit.Sweeps;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// Runs one sweep trial from a JSON trial request and prints the JSON trial result: the worker side of a sweep
    /// handed to a distributed executor (see docs/sweeps.md).
    /// </summary>
    public sealed class TrialCommand : Command<TrialCommand.Settings>
    {
        /// <summary>Options of <c>trial</c>.</summary>
        public sealed class Settings : CommandSettings
        {
            /// <summary>Request file.</summary>
            [CommandArgument(0, "<REQUEST>")]
            [Description("File holding a JSON trial request, or - for standard input.")]
            public string Request { get; init; } = "-";

            /// <summary>Result file.</summary>
            [CommandOption("-o|--output <PATH>")]
            [Description("Write the JSON trial result here (atomically) instead of standard output.")]
            public string? Output { get; init; }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            string request = settings.Request == "-" ? Console.In.ReadToEnd() : File.ReadAllText(settings.Request);
            string result = TrialWorker.Run(request, cancellationToken);
            if (settings.Output is null)
            {
                Console.Out.WriteLine(result);
            }
            else
            {
                AtomicFile.WriteText(settings.Output, writer => writer.WriteLine(result));
            }
            return 0;
        }
    }
}
