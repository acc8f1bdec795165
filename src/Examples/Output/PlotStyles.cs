using OxyPlot;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>
    /// Colour, marker and dash pattern per series index, so that series drawn over each other (stuck initializers
    /// with the same curve) stay distinguishable, and the small horizontal offset ("dodge") that moves their markers
    /// apart.
    /// </summary>
    public static class PlotStyles
    {
        private static readonly OxyColor[] Palette =
        {
            OxyColor.Parse("#1f77b4"), OxyColor.Parse("#ff7f0e"), OxyColor.Parse("#2ca02c"), OxyColor.Parse("#d62728"),
            OxyColor.Parse("#9467bd"), OxyColor.Parse("#8c564b"), OxyColor.Parse("#e377c2"), OxyColor.Parse("#7f7f7f"),
            OxyColor.Parse("#bcbd22"), OxyColor.Parse("#17becf"),
        };

        private static readonly MarkerType[] Markers =
        {
            MarkerType.Circle, MarkerType.Square, MarkerType.Triangle, MarkerType.Diamond, MarkerType.Cross,
            MarkerType.Plus, MarkerType.Star,
        };

        private static readonly LineStyle[] Dashes = { LineStyle.Solid, LineStyle.Dash, LineStyle.Dot, LineStyle.DashDot, LineStyle.LongDash };

        /// <summary>The style of series <paramref name="index"/>.</summary>
        /// <param name="index">0-based series index.</param>
        /// <returns>Colour, marker and dash pattern.</returns>
        public static (OxyColor Color, MarkerType Marker, LineStyle Dash) Of(int index) =>
            (Palette[index % Palette.Length], Markers[index % Markers.Length], Dashes[index % Dashes.Length]);

        /// <summary>Horizontal offset of series <paramref name="index"/> of <paramref name="count"/>, in x units: spread
        /// over ±0.15 so coinciding series show side by side.</summary>
        /// <param name="index">0-based series index.</param>
        /// <param name="count">Number of series.</param>
        /// <returns>The offset.</returns>
        public static double Dodge(int index, int count) => count < 2 ? 0 : (index - (count - 1) / 2.0) * (0.3 / (count - 1));

        /// <summary>An empty panel with the report's fonts and a white background.</summary>
        /// <param name="title">Panel title.</param>
        /// <param name="subtitle">Line under the title.</param>
        /// <returns>The panel.</returns>
        public static PlotModel Panel(string title, string subtitle) => new()
        {
            Title = title,
            Subtitle = subtitle,
            DefaultFont = "DejaVu Sans",
            TitleFontSize = 14,
            SubtitleFontSize = 11,
            Background = OxyColors.White,
        };

        /// <summary>The line of series <paramref name="index"/> in its style (<see cref="Of"/>), with markers.</summary>
        /// <param name="title">Legend text.</param>
        /// <param name="index">0-based series index.</param>
        /// <returns>The line, without points.</returns>
        public static LineSeries Line(string title, int index)
        {
            var style = Of(index);
            return new LineSeries
            {
                Title = title,
                Color = style.Color,
                LineStyle = style.Dash,
                StrokeThickness = 2,
                MarkerType = style.Marker,
                MarkerSize = 4,
                MarkerFill = style.Color,
                MarkerStroke = style.Color,
            };
        }

        /// <summary>A legend outside the panel, right of it, top-aligned.</summary>
        /// <returns>The legend.</returns>
        public static Legend OutsideRight() =>
            new() { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.RightTop, LegendFontSize = 12 };
    }
}
