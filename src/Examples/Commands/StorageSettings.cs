using System;
using System.ComponentModel;
using System.Globalization;
using Microsoft.ML.WeightInit.Hangfire;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>The sweep database options shared by <c>worker</c> and <c>dashboard</c>.</summary>
    public class StorageSettings : CommandSettings
    {
        /// <summary>PostgreSQL connection string.</summary>
        [CommandOption("--storage <CONNECTION>")]
        [Description("PostgreSQL connection string of the sweep's Hangfire storage, e.g. \"Host=db;Port=5432;Database=sweeps;Username=sweep;Passfile=/etc/weightinit/pgpass\" (required).")]
        public string? Storage { get; init; }

        /// <summary>Queue.</summary>
        [CommandOption("--queue <NAME>")]
        [Description("Hangfire queue of the sweep's trials (lowercase letters, digits, '_', '-'). Default: weightinit.")]
        public string Queue { get; init; } = HangfireSweepOptions.DefaultQueue;

        /// <summary>Checks the options.</summary>
        public override ValidationResult Validate()
        {
            if (Storage is null)
            {
                return ValidationResult.Error("--storage is required: the PostgreSQL connection string of the sweep's Hangfire storage.");
            }
            return Error(() => Options()) is { } error ? ValidationResult.Error(error) : ValidationResult.Success();
        }

        /// <summary>The sweep options the settings give.</summary>
        internal virtual HangfireSweepOptions Options() => StorageOptions.Create(Storage!, Queue, null);

        /// <summary>The message of an options error, worded with the option, or null.</summary>
        internal static string? Error(Action create)
        {
            try
            {
                create();
                return null;
            }
            catch (ArgumentException e)
            {
                string option = e.ParamName switch { "connectionString" => "--storage", "Queue" => "--queue", "InvisibilityTimeout" => "--invisibility-timeout", _ => e.ParamName ?? "" };
                return $"{option}: {ParameterErrors.ReasonOf(e)}";
            }
        }
    }

    /// <summary>Builds <see cref="HangfireSweepOptions"/> from command-line values.</summary>
    internal static class StorageOptions
    {
        public static HangfireSweepOptions Create(string storage, string queue, string? invisibilityTimeout)
        {
            var options = new HangfireSweepOptions(storage) { Queue = queue };
            if (invisibilityTimeout is not null)
            {
                options = options with { InvisibilityTimeout = Duration(invisibilityTimeout) };
            }
            options.Validate();
            return options;
        }

        /// <summary>90s, 30m, 2h or hh:mm:ss.</summary>
        public static TimeSpan Duration(string text)
        {
            string t = text.Trim();
            if (t.Length > 1 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0)
            {
                switch (t[^1])
                {
                    case 's': return TimeSpan.FromSeconds(n);
                    case 'm': return TimeSpan.FromMinutes(n);
                    case 'h': return TimeSpan.FromHours(n);
                }
            }
            return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
                ? span : throw new ParameterException($"'{text}': expected e.g. 90s, 30m, 2h or hh:mm:ss.", "InvisibilityTimeout");
        }
    }
}
