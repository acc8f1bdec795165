using System;
using System.Linq;
using OxyPlot;
using OxyPlot.Axes;

namespace Microsoft.ML.WeightInit.Examples.Output.Signal
{
    /// <summary>
    /// The classic signal-propagation plot as one PNG (OxyPlot on SkiaSharp): per layer, the standard deviation of the
    /// forward output and of the backward gradient at initialization, log scale, one line per initializer. Lines that
    /// coincide stay distinguishable: each initializer has its own colour, marker and dash pattern; the axes are
    /// padded so no point sits on the frame.
    /// </summary>
    public static class SignalPlot
    {
        private const int PanelWidth = 620;
        private const int PanelHeight = 480;
        private const int LegendWidth = 280;

        /// <summary>Writes the PNG.</summary>
        /// <param name="path">Destination file.</param>
        /// <param name="comparison">The measurements.</param>
        public static void Write(string path, SignalComparison comparison)
        {
            var forward = Panel(comparison, "Forward: std of each layer's output", forwardSignal: true);
            var backward = Panel(comparison, "Backward: std of ∂loss/∂output", forwardSignal: false);
            backward.Legends.Add(PlotStyles.OutsideRight());
            PngPanels.Write(path, new[] { (forward, PanelWidth), (backward, PanelWidth + LegendWidth) }, PanelHeight);
        }

        private static PlotModel Panel(SignalComparison comparison, string title, bool forwardSignal)
        {
            int layers = comparison.LayerNames.Count;
            var model = PlotStyles.Panel(title, $"{comparison.Architecture.TextForm}, seed {comparison.Seed}, batch of {comparison.BatchSize}");
            model.Axes.Add(new LinearAxis
            {
                Position = AxisPosition.Bottom,
                Title = "Layer (index)",
                Minimum = -0.5,
                Maximum = Math.Max(layers - 0.5, 0.5),
                MajorStep = layers > 12 ? 5 : 1,
                MinorStep = 1,
                MajorGridlineStyle = LineStyle.Dot,
            });
            model.Axes.Add(new LogarithmicAxis
            {
                Position = AxisPosition.Left,
                Title = forwardSignal ? "Output std (log scale)" : "Gradient std (log scale)",
                MajorGridlineStyle = LineStyle.Dot,
                MinimumPadding = 0.08,
                MaximumPadding = 0.08,
            });
            for (int i = 0; i < comparison.Runs.Count; i++)
            {
                var run = comparison.Runs[i];
                if (run.Report is null)
                {
                    continue;
                }
                var line = PlotStyles.Line(run.Label, i);
                var points = run.Report.Signal.Layers.Select((l, index) => (index, value: forwardSignal ? l.OutputStd : l.GradientStd))
                    .Where(p => p.value > 0 && double.IsFinite(p.value))
                    .Select(p => new DataPoint(p.index + PlotStyles.Dodge(i, comparison.Runs.Count), p.value));
                line.Points.AddRange(points);
                model.Series.Add(line);
            }
            return model;
        }
    }
}
