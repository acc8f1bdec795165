using System;
using System.ComponentModel;
using Microsoft.ML.WeightInit.Trainers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>The training options of the commands that train with fixed SGD settings (<c>train</c>, <c>compare</c>),
    /// with their checks. Defaults are <see cref="InitCnnTrainer.Defaults"/>.</summary>
    public class SgdSettings : DataSettings
    {
        /// <summary>Epochs.</summary>
        [CommandOption("-e|--epochs <N>")]
        [Description("Passes over the training data (per run). Default: 5.")]
        public int Epochs { get; init; } = InitCnnTrainer.Defaults.NumberOfEpochs;

        /// <summary>Batch size.</summary>
        [CommandOption("--batch-size <N>")]
        [Description("Images per SGD step. Default: 64.")]
        public int BatchSize { get; init; } = InitCnnTrainer.Defaults.BatchSize;

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <RATE>")]
        [Description("SGD learning rate. Default: 0.01.")]
        public double LearningRate { get; init; } = InitCnnTrainer.Defaults.LearningRate;

        /// <summary>Momentum.</summary>
        [CommandOption("--momentum <M>")]
        [Description("SGD momentum. Default: 0.5.")]
        public double Momentum { get; init; } = InitCnnTrainer.Defaults.Momentum;

        /// <summary>Threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("libtorch threads; 0 = libtorch's default, one per core (OpenMP threads wait passively, so a busy machine does not stall them). The count that ran is in the per-epoch table. Default: 0.")]
        public int Threads { get; init; }

        /// <summary>The check of <c>--threads</c>, shared by every command that trains.</summary>
        /// <returns>null, or the error.</returns>
        public static string? ThreadsError(int threads) =>
            threads < 0 || threads > Environment.ProcessorCount
                ? $"--threads must be 0 (one per core) to {Environment.ProcessorCount} (the cores of this machine); got {threads}."
                : null;

        /// <summary>Checks the data options (<see cref="DataSettings.Validate"/>), then the numbers.</summary>
        /// <returns>Success, or the error to print, naming the option.</returns>
        public override ValidationResult Validate() =>
            base.Validate() is { Successful: false } data ? data
            : Epochs < 1 ? ValidationResult.Error("--epochs must be at least 1.")
            : BatchSize < 1 ? ValidationResult.Error("--batch-size must be at least 1.")
            : !(LearningRate > 0 && LearningRate <= float.MaxValue) ? ValidationResult.Error("--lr must be a positive number (at most 3.4E+38).")
            : !(Momentum >= 0 && Momentum < 1) ? ValidationResult.Error("--momentum must be in [0, 1).")
            : ThreadsError(Threads) is { } threads ? ValidationResult.Error(threads)
            : ValidationResult.Success();
    }
}
