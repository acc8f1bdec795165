using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>How plain_cnn and resnet split their convolutions (or blocks) into stages: up to three stages of width,
    /// 2·width and 4·width channels whose lengths differ by at most one, the first ones longer.</summary>
    internal static class Stages
    {
        /// <summary>The stages of <paramref name="count"/> units (convolutions or blocks), in order.</summary>
        /// <param name="count">Units in all (≥ 1).</param>
        /// <param name="width">Channels of the first stage.</param>
        /// <returns>Per stage: its index (0, 1, 2), its length and its channel count (width · 2^index).</returns>
        public static IEnumerable<(int Index, int Length, long Channels)> Split(int count, int width)
        {
            int stages = System.Math.Min(3, count);
            for (int s = 0; s < stages; s++)
            {
                yield return (s, count / stages + (s < count % stages ? 1 : 0), (long)width << s);
            }
        }
    }
}
