using Microsoft.ML.WeightInit.Networks;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>Floating-point operations of the net (multiply and add counted as 2), from its layer sizes.</summary>
    public static class NetFlops
    {
        /// <summary>Forward pass of one image through conv1, conv2, fc1, fc2 (ReLU, pooling, softmax left out).</summary>
        public static double Forward(ImageShape s)
        {
            double h1 = s.Height - 4, w1 = s.Width - 4;
            double h2 = h1 / 2 - 4, w2 = w1 / 2 - 4;
            double conv1 = 2.0 * 20 * s.Channels * 25 * h1 * w1;
            double conv2 = 2.0 * 50 * 20 * 25 * h2 * w2;
            double fc1 = 2.0 * 50 * s.PooledHeight * s.PooledWidth * 500;
            double fc2 = 2.0 * 500 * s.Classes;
            return conv1 + conv2 + fc1 + fc2;
        }

        /// <summary>
        /// One training step per image: forward, weight gradients (as many operations as the forward) and input
        /// gradients of every layer but conv1 (whose input needs none).
        /// </summary>
        public static double Training(ImageShape s)
        {
            double conv1 = 2.0 * 20 * s.Channels * 25 * (s.Height - 4) * (s.Width - 4);
            return 3 * Forward(s) - conv1;
        }
    }
}
