using System;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.IO;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using SkiaSharp;

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
            backward.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.RightTop, LegendFontSize = 12 });
            using var surface = SKSurface.Create(new SKImageInfo(2 * PanelWidth + LegendWidth, PanelHeight));
            surface.Canvas.Clear(SKColors.White);
            using (var left = Render(forward, PanelWidth))
            using (var right = Render(backward, PanelWidth + LegendWidth))
            {
                surface.Canvas.DrawBitmap(left, 0, 0);
                surface.Canvas.DrawBitmap(right, PanelWidth, 0);
            }
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            AtomicFile.Write(path, data.SaveTo);
        }

        private static SKBitmap Render(PlotModel model, int width)
        {
            using var stream = new MemoryStream();
            new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = PanelHeight }.Export(model, stream);
            stream.Position = 0;
            return SKBitmap.Decode(stream);
        }

        private static PlotModel Panel(SignalComparison comparison, string title, bool forwardSignal)
        {
            int layers = comparison.LayerNames.Count;
            var model = new PlotModel
            {
                Title = title,
                Subtitle = $"{comparison.Architecture.TextForm}, seed {comparison.Seed}, batch of {comparison.BatchSize}",
                DefaultFont = "DejaVu Sans",
                TitleFontSize = 14,
                SubtitleFontSize = 10,
                Background = OxyColors.White,
            };
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
                var style = PlotStyles.Of(i);
                var line = new LineSeries
                {
                    Title = run.Label,
                    Color = style.Color,
                    LineStyle = style.Dash,
                    StrokeThickness = 2,
                    MarkerType = style.Marker,
                    MarkerSize = 4,
                    MarkerFill = style.Color,
                    MarkerStroke = style.Color,
                };
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
