using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// fan_in and fan_out of a weight tensor, as PyTorch's <c>torch.nn.init._calculate_fan_in_and_fan_out</c>:
    /// fan_in = size(1) × receptive field, fan_out = size(0) × receptive field, where the receptive field is the
    /// product of the sizes after the first two (1 for a Linear weight).
    /// </summary>
    internal static class Fans
    {
        /// <summary>Computes (fan_in, fan_out) from a weight shape.</summary>
        /// <param name="shape">Weight shape: <c>[out, in]</c> for Linear, <c>[out, in, kH, kW]</c> for Conv2d.</param>
        /// <param name="parameterName">Name used in the error message.</param>
        /// <returns>(fan_in, fan_out), numbers of connections.</returns>
        /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
        public static (long FanIn, long FanOut) Compute(IReadOnlyList<long> shape, string parameterName = "tensor")
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (shape.Count < 2)
            {
                throw new ArgumentException(
                    $"Fan in and fan out can not be computed for tensor with fewer than 2 dimensions: '{parameterName}' has shape {Shapes.Format(shape)}.",
                    nameof(shape));
            }
            long receptiveField = 1;
            for (int i = 2; i < shape.Count; i++)
            {
                receptiveField *= shape[i];
            }
            return (shape[1] * receptiveField, shape[0] * receptiveField);
        }

        /// <summary>The fan a <see cref="FanMode"/> selects, as PyTorch's <c>_calculate_correct_fan</c>.</summary>
        /// <param name="shape">Weight shape (≥ 2 dims).</param>
        /// <param name="mode">fan_in or fan_out.</param>
        /// <param name="parameterName">Name used in the error message.</param>
        /// <returns>The selected fan.</returns>
        /// <exception cref="ArgumentException">The shape has fewer than 2 dimensions.</exception>
        public static long Select(IReadOnlyList<long> shape, FanMode mode, string parameterName = "tensor")
        {
            var (fanIn, fanOut) = Compute(shape, parameterName);
            return mode == FanMode.FanIn ? fanIn : fanOut;
        }

        /// <summary>Computes (fan_in, fan_out) of a tensor.</summary>
        /// <remarks>Not an overload of <see cref="Compute"/>: TorchSharp converts <c>long[]</c> to a tensor implicitly,
        /// so <c>Compute(new long[] { 20, 1, 5, 5 })</c> would otherwise bind to the tensor version.</remarks>
        /// <param name="tensor">The weight tensor.</param>
        /// <returns>(fan_in, fan_out).</returns>
        /// <exception cref="ArgumentException">The tensor has fewer than 2 dimensions.</exception>
        public static (long FanIn, long FanOut) Of(torch.Tensor tensor)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            return Compute(tensor.shape, "tensor");
        }
    }

    /// <summary>Formatting of tensor shapes for messages, PyTorch style: <c>[20, 1, 5, 5]</c>.</summary>
    internal static class Shapes
    {
        public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(", ", shape) + "]";
    }
}
