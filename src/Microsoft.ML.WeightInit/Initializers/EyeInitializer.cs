using System;
using System.Collections.Generic;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Identity: ones on the main diagonal, zeros elsewhere, so a Linear layer passes through as many inputs as it
    /// can. PyTorch's <c>torch.nn.init.eye_(tensor)</c>. 2-D tensors only. Text form: <c>eye</c>.
    /// </summary>
    public sealed record EyeInitializer : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "eye";

        /// <summary>PyTorch's message for a tensor that is not 2-D.</summary>
        internal const string DimsMessage = "Only tensors with 2 dimensions are supported";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            if (tensor.dim() != 2)
            {
                throw Rejected(DimsMessage, tensor, context);
            }
            using var noGrad = torch.no_grad();
            using var eye = torch.eye(tensor.shape[0], tensor.shape[1], tensor.dtype);
            tensor.copy_(eye);
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (shape.Count != 2)
            {
                throw new ArgumentException($"{DimsMessage}: 'tensor' has shape {Shapes.Format(shape)}.", nameof(shape));
            }
            return DeterministicTheory.OnesAmongZeros(Math.Min(shape[0], shape[1]), shape[0] * shape[1]);
        }
    }
}
