using System;
using System.Threading;
using Microsoft.ML.WeightInit.Examples.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

// The Examples app: `train` (default), and the experiment commands. Ctrl+C cancels the running command cleanly.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (Console.IsOutputRedirected)
{
    // Piped or logged output: wide enough for the tables, no live redraws.
    AnsiConsole.Profile.Width = 160;
}

// Numeric option values are checked first, so that an error names the option (Spectre's names only the type).
var settingsOf = new System.Collections.Generic.Dictionary<string, Type>
{
    ["train"] = typeof(TrainCommand.Settings), ["compare"] = typeof(CompareCommand.Settings), ["sweep"] = typeof(SweepCommand.Settings),
    ["trial"] = typeof(TrialCommand.Settings), ["init-stats"] = typeof(InitStatsCommand.Settings), ["images"] = typeof(ImagesCommand.Settings),
};
if (NumericOptions.Check(args, settingsOf, typeof(TrainCommand.Settings)) is { } numericError)
{
    AnsiConsole.MarkupLineInterpolated($"[red]Error: {numericError}[/]");
    return 1;
}

var app = new CommandApp<TrainCommand>();
app.Configure(config =>
{
    config.SetApplicationName("weightinit");
    config.UseStrictParsing(); // an unknown or misspelled option is an error, not silently ignored
    config.AddCommand<TrainCommand>("train")
        .WithDescription("Train the MNIST CNN with one initializer and print the per-epoch table and ML.NET's metrics (the default command).");
    config.AddCommand<CompareCommand>("compare")
        .WithDescription("Compare initializers as the seed article: one run per (initializer, seed), loss and accuracy tables (mean ± std over seeds), Markdown/CSV/JSON/PNG reports.");
    config.AddCommand<SweepCommand>("sweep")
        .WithDescription("Sweep initializers AutoML-style (random, grid or successive halving), rank them on a validation split or k-fold CV, resume from the trial log.");
    config.AddCommand<TrialCommand>("trial")
        .WithDescription("Run one sweep trial from a JSON trial request and print the JSON result (the worker of a distributed sweep).");
    config.AddCommand<WorkerCommand>("worker")
        .WithDescription("Run the trials of distributed sweeps (sweep --storage): a Hangfire worker on PostgreSQL, one trial at a time.");
    config.AddCommand<DashboardCommand>("dashboard")
        .WithDescription("Serve Hangfire's dashboard of a distributed sweep's storage on 127.0.0.1 (read-only by default).");
    config.AddCommand<InitStatsCommand>("init-stats")
        .WithDescription("Initialize the net with a plan (no training): weight statistics against theory, signal propagation on one batch, the article's mean listing.");
    config.AddCommand<ImagesCommand>("images")
        .WithDescription("Write sample digits as PNG files, train a LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels → InitCnn pipeline on them, save it, load it with plain ML.NET and predict image files.");
});
return app.Run(args, cancellation.Token);
