using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>
    /// The curves as one PNG (OxyPlot rendered with SkiaSharp): average test loss (log scale) and test accuracy vs
    /// epoch, one line per initializer at the mean over seeds, with a band of ± one sample standard deviation; when
    /// some initializers did not learn, a third panel zooms on the accuracy of those that did. The value axes are padded
    /// so no point sits on the frame; each initializer has its own colour, marker and dash pattern and a small
    /// horizontal offset (<see cref="PlotStyles"/>), so runs with the same curve (stuck initializers) stay visible side
    /// by side instead of drawing one line.
    /// </summary>
    public static class CurvePlot
    {
        private const int PanelWidth = 620;
        private const int PanelHeight = 460;
        private const int LegendWidth = 260;

        /// <summary>Writes the PNG.</summary>
        /// <param name="path">Destination file.</param>
        /// <param name="summary">The summarized comparison.</param>
        public static void Write(string path, ComparisonSummary summary)
        {
            var learned = summary.Result.Initializers
                .Where(i => summary.Result.RunsOf(i).Count > 0 && summary.Result.RunsOf(i).All(r => r.Status == RunStatus.Learned)).ToList();
            var panels = new List<PlotModel>
            {
                Panel(summary, summary.Loss, summary.Result.Initializers, "Average test loss (NLL, nats, log scale)", logarithmic: true),
                Panel(summary, summary.Accuracy, summary.Result.Initializers, "Test accuracy", logarithmic: false),
            };
            if (learned.Count > 0 && learned.Count < summary.Result.Initializers.Count)
            {
                panels.Add(Panel(summary, summary.Accuracy, learned, "Test accuracy of the initializers that learned", logarithmic: false));
            }
            // The legend sits right of the full accuracy panel, which has every initializer.
            const int legendPanel = 1;
            panels[legendPanel].Legends.Add(PlotStyles.OutsideRight());
            PngPanels.Write(path, panels.Select((p, i) => (p, i == legendPanel ? PanelWidth + LegendWidth : PanelWidth)).ToList(), PanelHeight);
        }

        private static PlotModel Panel(ComparisonSummary summary, SummaryTable table, IReadOnlyList<string> initializers, string title, bool logarithmic)
        {
            var result = summary.Result;
            string spread = result.Options.Seeds.Count > 1 ? $"mean ± std over {result.Options.Seeds.Count} seeds" : $"seed {result.Options.Seeds[0]}";
            var model = PlotStyles.Panel(title, spread + (result.IsComplete ? string.Empty : " — INCOMPLETE"));
            model.Axes.Add(new LinearAxis
            {
                Position = AxisPosition.Bottom,
                Title = "Epoch",
                Minimum = 0.6,
                Maximum = table.Epochs + 0.4,
                MajorStep = 1,
                MinorStep = 1,
                MajorGridlineStyle = LineStyle.Dot,
            });
            model.Axes.Add(logarithmic
                ? new LogarithmicAxis { Position = AxisPosition.Left, Title = table.Metric, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.06, MaximumPadding = 0.06 }
                : new LinearAxis { Position = AxisPosition.Left, Title = table.Metric, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.06, MaximumPadding = 0.06 });

            foreach (string initializer in initializers)
            {
                int index = result.Initializers.ToList().IndexOf(initializer);
                var color = PlotStyles.Of(index).Color;
                double dodge = PlotStyles.Dodge(index, result.Initializers.Count);
                var cells = Enumerable.Range(1, table.Epochs).Select(e => (Epoch: e, Cell: table[e, initializer]))
                    .Where(x => x.Cell.N > 0 && double.IsFinite(x.Cell.Mean) && (!logarithmic || x.Cell.Mean > 0)).ToList();
                if (cells.Count == 0)
                {
                    continue;
                }
                if (cells.Any(x => x.Cell.N > 1 && double.IsFinite(x.Cell.Std)))
                {
                    var band = new AreaSeries
                    {
                        Color = OxyColors.Transparent,
                        Fill = OxyColor.FromAColor(50, color),
                        StrokeThickness = 0,
                        RenderInLegend = false,
                    };
                    foreach (var (epoch, cell) in cells)
                    {
                        double std = double.IsFinite(cell.Std) ? cell.Std : 0;
                        double low = logarithmic ? Math.Max(cell.Mean - std, cell.Mean / 10) : cell.Mean - std;
                        band.Points.Add(new DataPoint(epoch + dodge, low));
                        band.Points2.Add(new DataPoint(epoch + dodge, cell.Mean + std));
                    }
                    model.Series.Add(band);
                }
                var line = PlotStyles.Line(initializer, index);
                line.Points.AddRange(cells.Select(x => new DataPoint(x.Epoch + dodge, x.Cell.Mean)));
                model.Series.Add(line);
            }
            return model;
        }
    }
}
