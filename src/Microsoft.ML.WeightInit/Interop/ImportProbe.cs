using System;
using System.Globalization;
using System.IO;
using Microsoft.ML.WeightInit.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Interop
{
    /// <summary>
    /// Scores a small probe batch with an imported network before it is accepted: finite weights can still overflow
    /// float32 (a weight of 3e38 makes every score NaN), and such a model must be refused at import, not found out
    /// by NaN scores later.
    /// </summary>
    internal static class ImportProbe
    {
        /// <summary>Images in the probe batch: all 0, all 1, a checkerboard of 0 and 1, and seeded uniform [0, 1) pixels.</summary>
        public const int Images = 4;

        /// <summary>Runs the probe batch (features in [0, 1], normalized with <paramref name="mean"/> and
        /// <paramref name="std"/> as scoring does) through every parameterized layer of the network's architecture.</summary>
        /// <exception cref="InvalidDataException">A layer's output is NaN or ±∞ on a probe image, or the
        /// log-probabilities are NaN; the message names the layer's parameters and the first bad value.</exception>
        public static void Check(ClassifierNetwork network, float mean, float std)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var shape = network.Shape;
            var images = new float[Images * shape.FeatureCount];
            var random = new Random(0);
            for (int i = 0; i < shape.FeatureCount; i++)
            {
                images[i] = 0f;
                images[shape.FeatureCount + i] = 1f;
                images[2 * shape.FeatureCount + i] = (i + i / shape.Width) % 2;
                images[3 * shape.FeatureCount + i] = (float)random.NextDouble();
            }
            var batch = (tensor(images, new long[] { Images, shape.Channels, shape.Height, shape.Width }) - mean) / std;
            var outputs = network.ForwardWithLayerOutputs(batch);
            var names = network.Architecture.LayerNames;
            for (int layer = 0; layer < names.Count; layer++)
            {
                var bad = outputs[layer].isfinite().logical_not();
                if (bad.any().item<bool>())
                {
                    var where = bad.flatten().nonzero();
                    double value = outputs[layer].flatten()[where[0, 0]].to_type(ScalarType.Float64).item<double>();
                    long image = where[0, 0].item<long>() / (outputs[layer].numel() / Images);
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"the weights are finite, but {names[layer]}.weight and {names[layer]}.bias give {value} on probe image {image} ({Describe(image)}): every score would be NaN. Float32 cannot hold the layer's output (max ±{float.MaxValue:G3}); the weights are too large"));
                }
            }
            if (outputs[^1].isnan().any().item<bool>())
            {
                throw new InvalidDataException("the log-probabilities are NaN on a probe image although every layer's output is finite: the scores would be NaN");
            }
        }

        private static string Describe(long image) => image switch
        {
            0 => "all pixels 0",
            1 => "all pixels 1",
            2 => "a checkerboard",
            _ => "seeded uniform pixels",
        };
    }
}
