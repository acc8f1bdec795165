using System;
using System.Collections.Generic;
using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Layer-sequential unit-variance (LSUV): Mishkin &amp; Matas, "All you need is a good init" (ICLR 2016). Each
    /// weight starts orthogonal (<c>orthogonal(gain=1)</c>, drawn in the per-tensor pass exactly as
    /// <see cref="OrthogonalInitializer"/>); then, layer by layer from the input, the weight is divided by √v, where
    /// v is the variance (unbiased, over every element) of the layer's output on a calibration batch, until
    /// |v − 1| &lt; <paramref name="Tol"/> or <paramref name="MaxIterations"/> rescalings were made. The output is
    /// the layer's own output before its nonlinearity (conv or linear plus bias), as forward hooks on Conv2d/Linear
    /// see it in the PyTorch implementations. Weights only; it needs a calibration batch (see
    /// <see cref="Networks.NetworkInitializer"/>). Text form: <c>lsuv(tol=0.1, max_iterations=10)</c>.
    /// </summary>
    /// <param name="Tol">Tolerance on the output variance (the paper's Tol_var; default 0.1; ≥ <see cref="MinTol"/>).</param>
    /// <param name="MaxIterations">Most rescalings per layer (the paper's T_max; default 10; 1 to <see cref="MaxMaxIterations"/>).</param>
    public sealed record LsuvInitializer(double Tol = 0.1, long MaxIterations = 10) : WeightInitializer, IDataDependentInitializer
    {
        /// <summary>The scheme's name in text forms.</summary>
        public const string SchemeName = "lsuv";

        /// <summary>Smallest tol: the output variance is computed in float32, whose resolution near 1 is 1.2e-7 and
        /// whose sum over a batch rounds by several ulps; a smaller tol could never be met.</summary>
        public const double MinTol = 1e-5;

        /// <summary>Largest max_iterations: each rescaling divides by √v, which reaches |v − 1| &lt; 1e-5 in a few
        /// steps on any live layer; more iterations only spend time.</summary>
        public const long MaxMaxIterations = 1000;

        /// <summary>The per-tensor start: orthogonal with gain 1.</summary>
        public static OrthogonalInitializer Start { get; } = new(1.0);

        /// <inheritdoc/>
        public override string Name => SchemeName;

        /// <inheritdoc/>
        /// <exception cref="ArgumentException">tol is not finite or below <see cref="MinTol"/>, or max_iterations is not 1 to
        /// <see cref="MaxMaxIterations"/> (the message gives the bound).</exception>
        public override void ValidateParameters()
        {
            if (!(Tol >= MinTol) || !double.IsFinite(Tol))
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"tol must be a finite number ≥ {MinTol} (float32 variances cannot be told apart more finely); got {Tol}."), "tol");
            }
            if (MaxIterations < 1 || MaxIterations > MaxMaxIterations)
            {
                throw new ParameterException(string.Create(CultureInfo.InvariantCulture,
                    $"max_iterations must be 1 to {MaxMaxIterations}; got {MaxIterations}."), "max_iterations");
            }
        }

        /// <summary>The orthogonal start; the calibration comes later (<see cref="Calibrate"/>).</summary>
        /// <param name="tensor">A layer's weight (≥ 2 dims).</param>
        /// <param name="context">The generator and the parameter's name.</param>
        /// <exception cref="ArgumentException">The tensor is a bias, or has fewer than 2 dims.</exception>
        public override void Initialize(torch.Tensor tensor, WeightInitContext context)
        {
            CheckArguments(tensor, context);
            if (context.Role != ParameterRole.Weight)
            {
                throw Rejected("lsuv initializes weights only", tensor, context);
            }
            Start.Initialize(tensor, context);
        }

        /// <inheritdoc/>
        public LayerCalibration Calibrate(torch.Tensor weight, WeightInitContext context, Func<torch.Tensor> layerOutput)
        {
            CheckArguments(weight, context);
            ArgumentNullException.ThrowIfNull(layerOutput);
            double initial = Variance(layerOutput, context);
            double variance = initial;
            int iterations = 0;
            while (Math.Abs(variance - 1) >= Tol && iterations < MaxIterations)
            {
                using (torch.no_grad())
                {
                    weight.div_(Math.Sqrt(variance));
                }
                iterations++;
                variance = Variance(layerOutput, context);
            }
            return new LayerCalibration(context.ParameterName, iterations, initial, variance, Math.Abs(variance - 1) < Tol);
        }

        private static double ToDouble(torch.Tensor scalar)
        {
            using (scalar)
            using (var wide = scalar.to_type(torch.ScalarType.Float64))
            {
                return wide.item<double>();
            }
        }

        private static double Variance(Func<torch.Tensor> layerOutput, WeightInitContext context)
        {
            using var output = layerOutput();
            double variance = output.numel() > 1 ? ToDouble(output.var()) : double.NaN;
            if (!(variance > 0) || !double.IsFinite(variance))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"LSUV cannot calibrate '{context.ParameterName}': the variance of the layer's output on the calibration batch is {variance} (a dead or degenerate layer, or a batch of fewer than 2 values)."));
            }
            return variance;
        }
    }
}
