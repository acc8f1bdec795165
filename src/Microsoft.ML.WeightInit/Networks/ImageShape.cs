using System;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Input images (channels × height × width) and the number of classes K of an <see cref="MnistCnn"/>. The net
    /// needs height and width of at least 16 pixels (pooling floors, as PyTorch's); 28 × 28 gives fc1 800 → 500.
    /// </summary>
    public sealed record ImageShape
    {
        /// <summary>MNIST: 1 × 28 × 28, 10 classes.</summary>
        public static ImageShape Mnist { get; } = new(1, 28, 28, 10);

        /// <summary>Creates a shape.</summary>
        /// <param name="channels">Image channels C (1 for gray, 3 for color).</param>
        /// <param name="height">Image height in pixels.</param>
        /// <param name="width">Image width in pixels.</param>
        /// <param name="classes">Number of classes K (≥ 2).</param>
        /// <exception cref="ArgumentOutOfRangeException">A size the net cannot take.</exception>
        public ImageShape(int channels, int height, int width, int classes)
        {
            if (channels < 1)
            {
                throw new ParameterRangeException(nameof(channels), channels, "Image channels must be at least 1.");
            }
            CheckSide(height, nameof(height));
            CheckSide(width, nameof(width));
            if (classes < 2)
            {
                throw new ParameterRangeException(nameof(classes), classes, "At least 2 classes are needed.");
            }
            Channels = channels;
            Height = height;
            Width = width;
            Classes = classes;
        }

        /// <summary>Channels C.</summary>
        public int Channels { get; }

        /// <summary>Height in pixels.</summary>
        public int Height { get; }

        /// <summary>Width in pixels.</summary>
        public int Width { get; }

        /// <summary>Number of classes K.</summary>
        public int Classes { get; }

        /// <summary>Values per image: C · H · W.</summary>
        public int FeatureCount => Channels * Height * Width;

        /// <summary>Height after conv1, pool, conv2, pool: ((H − 4)/2 − 4)/2.</summary>
        public int PooledHeight => ((Height - 4) / 2 - 4) / 2;

        /// <summary>Width after conv1, pool, conv2, pool.</summary>
        public int PooledWidth => ((Width - 4) / 2 - 4) / 2;

        private static void CheckSide(int size, string name)
        {
            if (size < 16 || size > 4096)
            {
                throw new ParameterRangeException(name, size,
                    "The net (two 5×5 convolutions, each followed by 2×2 max-pooling) needs image sides of 16 to 4096 pixels.");
            }
        }
    }
}
