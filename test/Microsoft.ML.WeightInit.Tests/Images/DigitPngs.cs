using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Tests.Images
{
    /// <summary>Writes MNIST rows as 28 × 28 gray PNG files (white digit on black, as in MNIST).</summary>
    internal static class DigitPngs
    {
        /// <summary>Writes the first <paramref name="count"/> rows of <paramref name="mnist"/>; returns (file name, label).</summary>
        public static List<ImageRow> Write(MLContext mlContext, IDataView mnist, string directory, int count)
        {
            Directory.CreateDirectory(directory);
            var rows = new List<ImageRow>();
            int index = 0;
            foreach (var digit in mlContext.Data.CreateEnumerable<DigitRow>(mnist, reuseRowObject: true).Take(count))
            {
                var bgra = new byte[28 * 28 * 4];
                for (int p = 0; p < 784; p++)
                {
                    byte gray = (byte)Math.Round(digit.Features[p] * 255f);
                    bgra[4 * p] = bgra[4 * p + 1] = bgra[4 * p + 2] = gray;
                    bgra[4 * p + 3] = 255;
                }
                string name = string.Create(CultureInfo.InvariantCulture, $"{index++:D5}-{digit.Label}.png");
                using (var image = MLImage.CreateFromPixels(28, 28, MLPixelFormat.Bgra32, bgra))
                {
                    image.Save(Path.Combine(directory, name));
                }
                rows.Add(new ImageRow { ImagePath = name, Label = digit.Label });
            }
            return rows;
        }
    }

    /// <summary>An image file and its digit.</summary>
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";

        public uint Label { get; set; }
    }
}
