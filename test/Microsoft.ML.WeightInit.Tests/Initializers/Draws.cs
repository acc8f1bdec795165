using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>Fills fresh tensors with an initializer and summarizes the values.</summary>
    internal static class Draws
    {
        /// <summary>The shape of fc1.weight: 400,000 values, enough for the KS tests.</summary>
        public static readonly long[] Fc1 = { 500, 800 };

        /// <summary>Values of a fresh float32 tensor of <paramref name="shape"/> filled with a seeded generator.</summary>
        public static float[] Values(IWeightInitializer initializer, long[] shape, ulong seed = 1)
        {
            using var tensor = Tensor(initializer, shape, seed);
            return TensorBytes.Values(tensor);
        }

        /// <summary>A fresh float32 tensor filled with a seeded generator (the caller disposes it).</summary>
        public static torch.Tensor Tensor(IWeightInitializer initializer, long[] shape, ulong seed = 1)
        {
            var tensor = torch.empty(shape, torch.float32);
            using var generator = new torch.Generator(seed);
            initializer.Initialize(tensor, WeightInitContext.ForTensor(generator, tensor, "w"));
            return tensor;
        }

        public static double Mean(float[] values) => values.Average(v => (double)v);

        public static double Std(float[] values)
        {
            double mean = Mean(values);
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        }

        /// <summary>Asserts mean and std within <paramref name="sigmas"/> standard errors of the target.</summary>
        public static void AssertMoments(float[] values, double mean, double std, string what, double sigmas = 5)
        {
            double n = values.Length;
            double meanTolerance = sigmas * std / Math.Sqrt(n);
            // Standard error of the sample std is about std / sqrt(2n) for light tails; allow a factor 2 for the uniform.
            double stdTolerance = 2 * sigmas * std / Math.Sqrt(2 * n);
            Assert.AreEqual(mean, Mean(values), meanTolerance, $"{what}: mean");
            Assert.AreEqual(std, Std(values), stdTolerance, $"{what}: std");
        }

        /// <summary>Asserts every value lies in [low, high].</summary>
        public static void AssertWithin(float[] values, double low, double high, string what)
        {
            Assert.IsTrue(values.All(v => v >= low && v <= high), $"{what}: values outside [{low}, {high}]: min {values.Min()}, max {values.Max()}");
        }

        /// <summary>Asserts the call is rejected with an ArgumentException whose message holds every fragment.</summary>
        public static void AssertRejected(Action action, params string[] fragments)
        {
            var e = Assert.Throws<ArgumentException>(action);
            foreach (string fragment in fragments)
            {
                StringAssert.Contains(e.Message, fragment);
            }
        }

        /// <summary>Fills a tensor of <paramref name="shape"/> as parameter <c>layer.weight</c>/<c>layer.bias</c>.</summary>
        public static void Fill(IWeightInitializer initializer, long[] shape, string layer = "fc1", ParameterRole role = ParameterRole.Weight, long[]? weightShape = null)
        {
            using var tensor = torch.empty(shape, torch.float32);
            using var generator = new torch.Generator(1);
            initializer.Initialize(tensor, new WeightInitContext(generator, layer, role, weightShape ?? shape));
        }
    }
}
