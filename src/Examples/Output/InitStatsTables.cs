using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Initializers;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>The tables of <c>init-stats</c>.</summary>
    public static class InitStatsTables
    {
        /// <summary>Per parameter: shape, scheme, mean, std, min, max, and the scheme's theoretical std and bounds.</summary>
        public static Table Parameters(IReadOnlyList<ParameterStatistics> parameters)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Parameters after initialization (theory: the scheme's std and bounds)")
                .AddColumn("Parameter").AddColumn("Shape").AddColumn("Scheme")
                .AddColumn(new TableColumn("Mean").RightAligned()).AddColumn(new TableColumn("Std").RightAligned())
                .AddColumn(new TableColumn("Min").RightAligned()).AddColumn(new TableColumn("Max").RightAligned())
                .AddColumn(new TableColumn("Theory std").RightAligned()).AddColumn(new TableColumn("Theory bounds").RightAligned());
            foreach (var p in parameters)
            {
                table.AddRow(
                    Markup.Escape(p.ParameterName), Markup.Escape("[" + string.Join(", ", p.Shape) + "]"), Markup.Escape(p.Scheme),
                    G(p.Mean), G(p.Std), G(p.Min), G(p.Max),
                    p.Theory is null ? "-" : G(p.Theory.Std), Bounds(p.Theory));
            }
            return table;
        }

        /// <summary>Per layer: output mean and std (forward), gradient std (backward); the loss in the title.</summary>
        public static Table Signal(SignalReport signal)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Signal propagation on the batch")
                .Caption(string.Create(CultureInfo.InvariantCulture, $"NLL {signal.Loss:F4} (ln 10 = 2.3026 for a uniform guess)"))
                .AddColumn("Layer").AddColumn(new TableColumn("Output mean").RightAligned())
                .AddColumn(new TableColumn("Output std").RightAligned()).AddColumn(new TableColumn("Gradient std").RightAligned());
            foreach (var l in signal.Layers)
            {
                table.AddRow(l.LayerName, G(l.OutputMean), G(l.OutputStd), G(l.GradientStd));
            }
            return table;
        }

        /// <summary>Signal propagation per initializer: variance ratio (theory, measured), output and gradient std of the
        /// first and last layer, the loss.</summary>
        public static Table SignalComparison(Signal.SignalComparison comparison)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"Signal propagation at initialization: {comparison.Architecture.TextForm}, seed {comparison.Seed}"))
                .Caption("Var ratio: Var(y_l)/Var(y_l-1), geometric mean over layers; theory: fan_in·Var(W)·c (c = 1/2 ReLU, 1 linear)")
                .AddColumn("Initializer").AddColumn(new TableColumn("Var ratio theory").RightAligned())
                .AddColumn(new TableColumn("Var ratio measured").RightAligned())
                .AddColumn(new TableColumn("Output std first → last").RightAligned())
                .AddColumn(new TableColumn("Gradient std first → last").RightAligned())
                .AddColumn(new TableColumn("NLL").RightAligned());
            foreach (var run in comparison.Runs)
            {
                if (run.Report is null)
                {
                    table.AddRow(Markup.Escape(run.Label), "[red]failed[/]", Markup.Escape(run.Error ?? string.Empty), "", "", "");
                    continue;
                }
                var layers = run.Report.Signal.Layers;
                table.AddRow(Markup.Escape(run.Label), G(run.TheoryRatio), G(run.MeasuredRatio),
                    $"{G(layers[0].OutputStd)} → {G(layers[^1].OutputStd)}", $"{G(layers[0].GradientStd)} → {G(layers[^1].GradientStd)}",
                    run.Report.Signal.Loss.ToString("F4", CultureInfo.InvariantCulture));
            }
            return table;
        }

        /// <summary>What LSUV did per layer.</summary>
        public static Table Calibrations(IReadOnlyList<LayerCalibration> calibrations)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("LSUV calibration")
                .AddColumn("Weight").AddColumn(new TableColumn("Iterations").RightAligned())
                .AddColumn(new TableColumn("Variance before").RightAligned()).AddColumn(new TableColumn("Variance after").RightAligned())
                .AddColumn("Converged");
            foreach (var c in calibrations)
            {
                table.AddRow(c.ParameterName, c.Iterations.ToString(CultureInfo.InvariantCulture), G(c.InitialVariance), G(c.FinalVariance),
                    c.Converged ? "yes" : "[yellow]no[/]");
            }
            return table;
        }

        /// <summary>The seed article's "Mean initialization" listing.</summary>
        public static Table MeanListing(IReadOnlyList<SchemeMean> means, long seed)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title(string.Create(CultureInfo.InvariantCulture, $"Mean initialization of conv1.weight (the article's listing, seed {seed})"))
                .AddColumn("Scheme").AddColumn("Text form").AddColumn(new TableColumn("Mean").RightAligned());
            foreach (var m in means)
            {
                table.AddRow(m.Label, Markup.Escape(m.Scheme), m.Mean.ToString("G6", CultureInfo.InvariantCulture));
            }
            return table;
        }

        private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

        private static string Bounds(DistributionTheory? theory) =>
            theory?.Low is double low && theory.High is double high ? Markup.Escape($"[{G(low)}, {G(high)}]") : "-";
    }
}
