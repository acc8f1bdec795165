using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.IO;
using SkiaSharp;

namespace Microsoft.ML.WeightInit.Examples.Images
{
    /// <summary>Writes MNIST rows as 28 × 28 gray PNG files, white digit on black, named <c>00042-7.png</c>, each
    /// through <see cref="AtomicFile"/>.</summary>
    public static class DigitPngWriter
    {
        /// <summary>Writes the first <paramref name="count"/> rows of <paramref name="mnist"/> into <paramref name="directory"/>.</summary>
        /// <returns>One row per file: its name (relative to the directory) and its digit.</returns>
        public static List<DigitFile> Write(MLContext mlContext, IDataView mnist, string directory, int count)
        {
            Directory.CreateDirectory(directory);
            var files = new List<DigitFile>();
            var bgra = new byte[28 * 28 * 4];
            foreach (var digit in mlContext.Data.CreateEnumerable<MnistRow>(mnist, reuseRowObject: true).Take(count))
            {
                for (int p = 0; p < 784; p++)
                {
                    byte gray = (byte)Math.Round(digit.Features[p] * 255f);
                    bgra[4 * p] = bgra[4 * p + 1] = bgra[4 * p + 2] = gray;
                    bgra[4 * p + 3] = 255;
                }
                string name = string.Create(CultureInfo.InvariantCulture, $"{files.Count:D5}-{digit.Label}.png");
                // Encoded in memory, then written through AtomicFile: a full disk or a kill leaves no empty or torn PNG.
                using (var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Bgra8888, SKAlphaType.Opaque)))
                {
                    System.Runtime.InteropServices.Marshal.Copy(bgra, 0, bitmap.GetPixels(), bgra.Length);
                    using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                    AtomicFile.Write(Path.Combine(directory, name), stream => stream.Write(png.AsSpan()));
                }
                files.Add(new DigitFile { ImagePath = name, Label = digit.Label });
            }
            return files;
        }

        private sealed class MnistRow
        {
            public uint Label { get; set; }

            [VectorType(784)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }

    /// <summary>A digit image file and its label.</summary>
    public sealed class DigitFile
    {
        /// <summary>File name, relative to the image folder.</summary>
        public string ImagePath { get; set; } = "";

        /// <summary>The digit.</summary>
        public uint Label { get; set; }
    }

    /// <summary>What the image pipeline predicts.</summary>
    public sealed class DigitFilePrediction
    {
        /// <summary>The predicted digit.</summary>
        public uint PredictedLabel { get; set; }

        /// <summary>Probabilities of the digits 0..9.</summary>
        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
