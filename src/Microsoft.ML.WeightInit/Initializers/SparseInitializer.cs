using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Sparse: N(0, std²) everywhere, then in every column exactly ⌈sparsity · rows⌉ entries set to zero, at the rows
    /// given by the first entries of a fresh random permutation of the rows (one <c>randperm</c> per column, drawn
    /// after the normal values). PyTorch's <c>torch.nn.init.sparse_(tensor, sparsity, std=0.01)</c>; Martens, "Deep
    /// learning via Hessian-free optimization" (ICML 2010). 2-D tensors only. Text form:
    /// <c>sparse(sparsity=0.1, std=0.01)</c> (<c>sparsity</c> is required, as in PyTorch).
    /// </summary>
    /// <param name="Sparsity">Fraction of each column set to zero, in [0, 1] (PyTorch does not check; values outside
    /// make its slicing meaningless, so they are rejected here).</param>
    /// <param name="Std">Standard deviation of the non-zero values (default 0.01; ≥ 0).</param>
    public sealed record SparseInitializer(double Sparsity, double Std = 0.01) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "sparse";

        /// <summary>PyTorch's message for a tensor that is not 2-D.</summary>
        internal const string DimsMessage = "Only tensors with 2 dimensions are supported";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">sparsity outside [0, 1], or std negative or not finite.</exception>
        public override void ValidateParameters()
        {
            if (!(Sparsity >= 0 && Sparsity <= 1))
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"sparsity must be in [0, 1]; got {Sparsity}."), "sparsity");
            }
            RequireFinite("std", Std);
            if (Std < 0)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"normal expects std >= 0.0, but found std {Std}"), "std");
            }
        }

        /// <summary>Zeros per column for a given number of rows: ⌈sparsity · rows⌉.</summary>
        /// <param name="rows">Rows of the matrix.</param>
        /// <returns>The count.</returns>
        public long ZerosPerColumn(long rows) => (long)Math.Ceiling(Sparsity * rows);

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            if (tensor.dim() != 2)
            {
                throw Rejected(DimsMessage, tensor, context);
            }
            long rows = tensor.shape[0], cols = tensor.shape[1];
            long zeros = Math.Min(ZerosPerColumn(rows), rows);
            using var noGrad = torch.no_grad();
            tensor.normal_(0, Std, context.Generator);
            using var zero = torch.zeros(Array.Empty<long>(), tensor.dtype);
            for (long col = 0; col < cols; col++)
            {
                using var scope = torch.NewDisposeScope();
                var permutation = torch.randperm(rows, generator: context.Generator);
                if (zeros > 0)
                {
                    var zeroRows = permutation.narrow(0, 0, zeros);
                    tensor.index_put_(zero, torch.TensorIndex.Tensor(zeroRows), torch.TensorIndex.Single(col));
                }
            }
        }

        /// <inheritdoc/>
        /// <remarks>Mean 0; a fraction (1 − z/rows) of the values are N(0, std²), the rest 0, so the standard deviation
        /// is std·√(1 − z/rows) with z = ⌈sparsity · rows⌉.</remarks>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (shape.Count != 2)
            {
                throw new ArgumentException($"{DimsMessage}: 'tensor' has shape {Shapes.Format(shape)}.", nameof(shape));
            }
            long rows = shape[0];
            double nonZero = rows == 0 ? 0 : 1 - (double)Math.Min(ZerosPerColumn(rows), rows) / rows;
            return new DistributionTheory(DistributionFamily.SparseNormal, 0, Std * Math.Sqrt(nonZero), null, null);
        }
    }
}
