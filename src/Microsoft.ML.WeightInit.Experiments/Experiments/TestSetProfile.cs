using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// What a model that learned nothing but the class frequencies scores on a test set: the majority class's share
    /// (the accuracy of always answering the most frequent class) and the class-prior cross-entropy
    /// H = −Σₖ pₖ ln pₖ (the average NLL of always answering the class frequencies pₖ, the best a constant
    /// prediction can do). For the MNIST test set: 10,000 images, majority share 0.1135 (digit 1), H ≈ 2.3010 nats.
    /// </summary>
    public sealed record TestSetProfile
    {
        /// <summary>Creates the profile from the number of test images of each class.</summary>
        /// <param name="classCounts">Images per class (index k = class k); at least one positive count.</param>
        /// <exception cref="ArgumentException">No images, or a negative count.</exception>
        public TestSetProfile(IReadOnlyList<long> classCounts)
        {
            ArgumentNullException.ThrowIfNull(classCounts);
            if (classCounts.Any(c => c < 0) || classCounts.Sum() <= 0)
            {
                throw new ArgumentException("Class counts must be non-negative with at least one image.", nameof(classCounts));
            }
            ClassCounts = classCounts.ToArray();
            Count = ClassCounts.Sum();
            long majority = ClassCounts.Max();
            MajorityClass = Array.IndexOf(ClassCounts.ToArray(), majority);
            MajorityShare = (double)majority / Count;
            PriorCrossEntropy = -ClassCounts.Where(c => c > 0).Sum(c => (double)c / Count * Math.Log((double)c / Count));
        }

        /// <summary>Test images per class.</summary>
        public IReadOnlyList<long> ClassCounts { get; }

        /// <summary>Number of test images.</summary>
        public long Count { get; }

        /// <summary>0-based index of the most frequent class (the first, on a tie).</summary>
        public int MajorityClass { get; }

        /// <summary>Share of the most frequent class, in (0, 1].</summary>
        public double MajorityShare { get; }

        /// <summary>Class-prior cross-entropy −Σₖ pₖ ln pₖ, in nats.</summary>
        public double PriorCrossEntropy { get; }

        /// <summary>Counts the classes of a tensor dataset's labels.</summary>
        /// <param name="data">The test images and labels.</param>
        /// <returns>The profile.</returns>
        internal static TestSetProfile Of(TensorDataset data)
        {
            ArgumentNullException.ThrowIfNull(data);
            using var counts = TorchSharp.torch.bincount(data.Labels, minlength: data.Shape.Classes);
            return new TestSetProfile(counts.data<long>().ToArray());
        }
    }
}
