using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Dirac delta: zeros, except a 1 at the spatial centre (index size // 2 in every kernel dimension) of kernel
    /// [g·(out/groups) + d, d] for every group g and d &lt; min(out/groups, in), so a convolution passes through as
    /// many input channels as it can (per group). PyTorch's <c>torch.nn.init.dirac_(tensor, groups=1)</c>. 3-, 4- or
    /// 5-D tensors whose size(0) is divisible by groups. Text form: <c>dirac(groups=1)</c>.
    /// </summary>
    /// <param name="Groups">Number of groups of the convolution (default 1; ≥ 1).</param>
    public sealed record DiracInitializer(long Groups = 1) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "dirac";

        /// <summary>PyTorch's message for a tensor that is not 3-, 4- or 5-D.</summary>
        internal const string DimsMessage = "Only tensors with 3, 4, or 5 dimensions are supported";

        /// <summary>PyTorch's message when size(0) is not divisible by groups.</summary>
        internal const string GroupsMessage = "dim 0 must be divisible by groups";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">groups &lt; 1.</exception>
        public override void ValidateParameters()
        {
            if (Groups < 1)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture, $"groups must be at least 1; got {Groups}."), "groups");
            }
        }

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            long ones = CheckShape(tensor.shape, context.ParameterName);
            using var noGrad = torch.no_grad();
            tensor.zero_();
            if (ones == 0)
            {
                return;
            }
            long[] shape = tensor.shape;
            long perGroup = shape[0] / Groups;
            long minDim = Math.Min(perGroup, shape[1]);
            var centre = shape.Skip(2).Select(s => torch.TensorIndex.Single(s / 2)).ToArray();
            using var one = torch.ones(Array.Empty<long>(), tensor.dtype);
            for (long g = 0; g < Groups; g++)
            {
                for (long d = 0; d < minDim; d++)
                {
                    var index = new[] { torch.TensorIndex.Single(g * perGroup + d), torch.TensorIndex.Single(d) }.Concat(centre).ToArray();
                    tensor.index_put_(one, index);
                }
            }
        }

        /// <inheritdoc/>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            long ones = CheckShape(shape, "tensor");
            return DeterministicTheory.OnesAmongZeros(ones, shape.Aggregate(1L, (p, s) => p * s));
        }

        /// <summary>Checks dims and divisibility; returns the number of ones written.</summary>
        private long CheckShape(IReadOnlyList<long> shape, string parameterName)
        {
            ValidateParameters();
            if (shape.Count < 3 || shape.Count > 5)
            {
                throw new ArgumentException($"{DimsMessage}: '{parameterName}' has shape {Shapes.Format(shape)}.", "tensor");
            }
            if (shape[0] % Groups != 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{GroupsMessage}: '{parameterName}' has shape {Shapes.Format(shape)} and groups={Groups}."), "tensor");
            }
            bool empty = shape.Any(s => s == 0);
            return empty ? 0 : Groups * Math.Min(shape[0] / Groups, shape[1]);
        }
    }
}
