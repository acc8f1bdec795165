using System;
using System.ComponentModel;
using System.IO;
using System.Text.Json;
using System.Threading;
using Microsoft.ML.WeightInit.IO;
using Microsoft.ML.WeightInit.Sweeps;
using Spectre.Console;
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
            [CommandArgument(0, "[REQUEST]")]
            [Description("File holding a JSON trial request; omitted: the request is read from standard input.")]
            public string Request { get; init; } = "-";

            /// <summary>Result file.</summary>
            [CommandOption("-o|--output <PATH>")]
            [Description("Write the JSON trial result here (atomically) instead of standard output.")]
            public string? Output { get; init; }

            /// <summary>Checks, before the trial runs, that the request file exists and that the result can be written
            /// where <c>-o</c> says.</summary>
            /// <returns>Success, or the error to print (naming the path as given).</returns>
            public override ValidationResult Validate()
            {
                if (Request != "-" && !File.Exists(Request))
                {
                    return ValidationResult.Error(Directory.Exists(Request)
                        ? $"<REQUEST> '{Request}' is a directory; expected a file holding a JSON trial request."
                        : $"<REQUEST> '{Request}' does not exist.");
                }
                // A trial worker writes where it is told: a missing directory is an error, not created.
                if (Output is not null && OutputPaths.CheckFile("--output", Output, createDirectory: false) is { } error)
                {
                    return ValidationResult.Error(error);
                }
                return ValidationResult.Success();
            }
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            string request = settings.Request == "-" ? Console.In.ReadToEnd() : File.ReadAllText(settings.Request);
            string result;
            try
            {
                result = TrialWorker.Run(request, cancellationToken);
            }
            catch (JsonException e)
            {
                string source = settings.Request == "-" ? "standard input" : $"'{settings.Request}'";
                throw new InvalidDataException($"Trial request {source}: {e.Message}", e);
            }
            if (settings.Output is null)
            {
                Console.Out.WriteLine(result);
                return 0;
            }
            try
            {
                AtomicFile.WriteText(settings.Output, writer => writer.WriteLine(result));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"--output '{settings.Output}': the trial result could not be written ({e.Message.TrimEnd('.')}).", e);
            }
            return 0;
        }
    }
}
