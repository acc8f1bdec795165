using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>Raw bytes, values and comparisons of float32 tensors.</summary>
    internal static class TensorBytes
    {
        public static float[] Values(torch.Tensor tensor)
        {
            if (tensor.numel() == 0)
            {
                return Array.Empty<float>();
            }
            using var contiguous = tensor.detach().contiguous().to_type(torch.ScalarType.Float32);
            return contiguous.data<float>().ToArray();
        }

        public static byte[] Bytes(torch.Tensor tensor) => MemoryMarshal.AsBytes(Values(tensor).AsSpan()).ToArray();

        public static string Sha256(torch.Tensor tensor) => Convert.ToHexString(SHA256.HashData(Bytes(tensor))).ToLowerInvariant();

        /// <summary>Null when bitwise equal, else a description of the differences.</summary>
        public static string? BitwiseDifference(float[] expected, float[] actual)
        {
            if (expected.Length != actual.Length)
            {
                return $"length {actual.Length}, expected {expected.Length}";
            }
            int differing = 0;
            double worst = 0;
            int first = -1;
            for (int i = 0; i < expected.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                {
                    differing++;
                    first = first < 0 ? i : first;
                    worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
                }
            }
            return differing == 0 ? null
                : $"{differing} of {expected.Length} values differ (first at {first}: {actual[first]:R} vs {expected[first]:R}; max |diff| {worst:E2})";
        }

        /// <summary>Null when every |actual − expected| ≤ tolerance, else a description.</summary>
        public static string? ToleranceDifference(float[] expected, float[] actual, double tolerance)
        {
            if (expected.Length != actual.Length)
            {
                return $"length {actual.Length}, expected {expected.Length}";
            }
            double worst = expected.Length == 0 ? 0 : expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
            return worst <= tolerance ? null : $"max |diff| {worst:E2} > {tolerance:E0}";
        }
    }
}
