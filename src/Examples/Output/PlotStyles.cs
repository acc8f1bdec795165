using OxyPlot;

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
    }
}
