using System.Collections.Generic;
using System.IO;
using Microsoft.ML.WeightInit.IO;
using OxyPlot;
using SkiaSharp;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>OxyPlot panels rendered with SkiaSharp side by side, left to right, into one PNG written atomically.</summary>
    internal static class PngPanels
    {
        /// <summary>Writes the PNG.</summary>
        /// <param name="path">Destination file.</param>
        /// <param name="panels">The panels in order, each with its width in pixels (a panel with an outside legend is wider).</param>
        /// <param name="height">Height of every panel in pixels.</param>
        public static void Write(string path, IReadOnlyList<(PlotModel Model, int Width)> panels, int height)
        {
            int width = 0;
            foreach (var (_, panelWidth) in panels)
            {
                width += panelWidth;
            }
            using var surface = SKSurface.Create(new SKImageInfo(width, height));
            surface.Canvas.Clear(SKColors.White);
            int x = 0;
            foreach (var (model, panelWidth) in panels)
            {
                using var bitmap = Render(model, panelWidth, height);
                surface.Canvas.DrawBitmap(bitmap, x, 0);
                x += panelWidth;
            }
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            AtomicFile.Write(path, data.SaveTo);
        }

        private static SKBitmap Render(PlotModel model, int width, int height)
        {
            using var stream = new MemoryStream();
            new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height }.Export(model, stream);
            stream.Position = 0;
            return SKBitmap.Decode(stream);
        }
    }
}
