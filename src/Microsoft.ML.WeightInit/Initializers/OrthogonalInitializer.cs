using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// (Semi-)orthogonal: the tensor, viewed as a matrix of size(0) rows × (numel / size(0)) columns, gets the Q factor
    /// of the QR decomposition of a standard normal matrix (transposed when rows &lt; cols, so Q has orthonormal rows
    /// in the wide case and orthonormal columns in the tall case), with each column of Q multiplied by the sign of
    /// the matching diagonal entry of R (Mezzadri 2007, so that Q is Haar-distributed), then scaled by gain. PyTorch's
    /// <c>torch.nn.init.orthogonal_(tensor, gain=1)</c>; Saxe, McClelland &amp; Ganguli, "Exact solutions to the
    /// nonlinear dynamics of learning in deep linear neural networks" (ICLR 2014). Tensor of ≥ 2 dims; a zero-element
    /// tensor is left as is. Text form: <c>orthogonal(gain=1)</c>.
    /// </summary>
    /// <remarks>
    /// The normal matrix is drawn exactly as PyTorch draws it; the QR factorization is LAPACK's, whose last bits
    /// depend on the LAPACK build, so the values equal PyTorch's to about 1e-7, not bit for bit.
    /// </remarks>
    /// <param name="Gain">Scaling factor (default 1): WWᵀ = gain²·I (wide) or WᵀW = gain²·I (tall).</param>
    public sealed record OrthogonalInitializer(double Gain = 1.0) : WeightInitializer, ITheoreticalDistribution
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "orthogonal";

        /// <summary>PyTorch's message for a tensor of fewer than 2 dims.</summary>
        internal const string DimsMessage = "Only tensors with 2 or more dimensions are supported";

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">gain is not finite.</exception>
        public override void ValidateParameters() => RequireFinite("gain", Gain);

        /// <inheritdoc/>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            if (tensor.dim() < 2)
            {
                throw Rejected(DimsMessage, tensor, context);
            }
            if (tensor.numel() == 0)
            {
                return;
            }
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            long rows = tensor.shape[0];
            long cols = tensor.numel() / rows;
            var flattened = torch.empty(new[] { rows, cols }, tensor.dtype).normal_(0, 1, context.Generator);
            bool wide = rows < cols;
            var (q, r) = torch.linalg.qr(wide ? flattened.t() : flattened);
            q = q * r.diag().sign();
            if (wide)
            {
                q = q.t();
            }
            tensor.view_as(q).copy_(q);
            tensor.mul_(Gain);
        }

        /// <inheritdoc/>
        /// <remarks>Every element has mean 0; the root mean square is gain / √max(rows, cols) exactly (the squares of a
        /// semi-orthogonal matrix sum to min(rows, cols)); every |value| ≤ |gain|.</remarks>
        public DistributionTheory Describe(IReadOnlyList<long> shape, ParameterRole role, IReadOnlyList<long> weightShape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (shape.Count < 2)
            {
                throw new ArgumentException($"{DimsMessage}: 'tensor' has shape {Shapes.Format(shape)}.", nameof(shape));
            }
            long rows = shape[0];
            long cols = rows == 0 ? 0 : shape.Aggregate(1L, (p, s) => p * s) / rows;
            double std = Math.Abs(Gain) / Math.Sqrt(Math.Max(1, Math.Max(rows, cols)));
            return new DistributionTheory(DistributionFamily.Orthogonal, 0, std, -Math.Abs(Gain), Math.Abs(Gain));
        }
    }
}
