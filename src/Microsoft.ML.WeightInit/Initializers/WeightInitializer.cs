using System;
using System.Globalization;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Base of the built-in initializers: value equality over the scheme's parameters, the canonical text form, and
    /// <see cref="Parse(string)"/>, its inverse.
    /// </summary>
    public abstract record WeightInitializer : IWeightInitializer
    {
        /// <summary>The scheme's PyTorch name, e.g. <c>kaiming_uniform</c>.</summary>
        public abstract string Name { get; }

        /// <summary>
        /// The scheme's parameters in canonical order, with their values: by default the record's primary constructor's
        /// parameters in order, named in snake case (or by their text-name attribute), valued by the properties of the
        /// same names; <see cref="Parse(string)"/> reads the same signature, defaults included.
        /// </summary>
        /// <exception cref="InvalidOperationException">The type has no single public constructor whose parameters
        /// are properties (override this property then).</exception>
        protected virtual IEnumerable<KeyValuePair<string, object>> Parameters => InitializerSignature.Of(GetType()).Values(this);

        /// <inheritdoc/>
        public string TextForm => TextFormSyntax.Format(Name, Parameters);

        /// <inheritdoc/>
        public abstract void Initialize(torch.Tensor tensor, WeightInitContext context);

        /// <summary>The canonical text form.</summary>
        /// <returns><see cref="TextForm"/>.</returns>
        public sealed override string ToString() => TextForm;

        /// <summary>
        /// Reads a text form such as <c>xavier_uniform(gain=1.4142135623730951)</c> or <c>zeros</c>. Arguments left out
        /// take PyTorch's defaults; the result's <see cref="TextForm"/> lists them all.
        /// </summary>
        /// <param name="text">The text form.</param>
        /// <returns>The initializer.</returns>
        /// <exception cref="FormatException">Unknown scheme or parameter (the message lists the valid ones), a value
        /// that does not parse, or a value the scheme rejects.</exception>
        public static WeightInitializer Parse(string text) => InitializerRegistry.Parse(text);

        /// <summary>Like <see cref="Parse(string)"/>, without throwing.</summary>
        /// <param name="text">The text form.</param>
        /// <param name="initializer">The initializer, or null.</param>
        /// <param name="error">Why the text did not parse, or null.</param>
        /// <returns>Whether the text parsed.</returns>
        public static bool TryParse(string text, [NotNullWhen(true)] out WeightInitializer? initializer, out string? error)
        {
            try
            {
                initializer = Parse(text);
                error = null;
                return true;
            }
            catch (FormatException e)
            {
                initializer = null;
                error = e.Message;
                return false;
            }
        }

        /// <summary>Names of every scheme <see cref="Parse(string)"/> knows.</summary>
        public static IReadOnlyList<string> SchemeNames => InitializerRegistry.Names;

        /// <summary>
        /// Checks the scheme's parameters (not the tensor): <see cref="Parse(string)"/> calls it, and so does
        /// <see cref="Initialize"/> before touching the tensor. The base accepts everything.
        /// </summary>
        /// <exception cref="ArgumentException">A parameter out of range; the message names it (PyTorch's name) and
        /// gives PyTorch's own message where PyTorch rejects the value too.</exception>
        public virtual void ValidateParameters()
        {
        }

        /// <summary>Throws when <paramref name="value"/> is NaN or ±∞.</summary>
        /// <param name="name">PyTorch's name of the parameter.</param>
        /// <param name="value">Its value.</param>
        /// <exception cref="ArgumentException">The value is not finite.</exception>
        protected static void RequireFinite(string name, double value)
        {
            if (!double.IsFinite(value))
            {
                throw new ParameterException($"{name} must be a finite number; got {TextFormSyntax.FormatValue(value)}.", name);
            }
        }

        /// <summary>
        /// The error for a tensor the scheme does not accept: PyTorch's message, then the parameter's name and shape,
        /// e.g. <c>Only tensors with 2 dimensions are supported: 'fc1.bias' has shape [500].</c>
        /// </summary>
        /// <param name="pyTorchMessage">PyTorch's message for the same case.</param>
        /// <param name="tensor">The tensor.</param>
        /// <param name="context">Names the parameter.</param>
        /// <returns>The exception to throw (parameter name <c>tensor</c>).</returns>
        protected static ArgumentException Rejected(string pyTorchMessage, torch.Tensor tensor, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            return new ArgumentException(
                $"{pyTorchMessage}: '{context.ParameterName}' has shape {Shapes.Format(tensor.shape)}.", nameof(tensor));
        }

        /// <summary>Checks the arguments of <see cref="Initialize"/> and the scheme's parameters.</summary>
        /// <param name="tensor">The tensor to fill.</param>
        /// <param name="context">The context.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentException">A parameter out of range (see <see cref="ValidateParameters"/>).</exception>
        protected void CheckArguments(torch.Tensor tensor, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            ValidateParameters();
        }

        /// <summary>Fills with U(low, high) from the context's generator, under no-grad (PyTorch's <c>uniform_</c>).</summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="low">Lower bound.</param>
        /// <param name="high">Upper bound.</param>
        /// <param name="context">Source of the generator.</param>
        /// <exception cref="ArgumentException">A finite bound or moment beyond the range of the tensor's dtype.</exception>
        protected static void FillUniform(torch.Tensor tensor, double low, double high, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            RequireRepresentable(tensor, context, $"U({Format(low)}, {Format(high)})", low, high);
            using var noGrad = torch.no_grad();
            tensor.uniform_(low, high, context.Generator);
        }

        /// <summary>Fills with N(mean, std²) from the context's generator, under no-grad (PyTorch's <c>normal_</c>).</summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="mean">Mean.</param>
        /// <param name="std">Standard deviation.</param>
        /// <param name="context">Source of the generator.</param>
        /// <exception cref="ArgumentException">A finite bound or moment beyond the range of the tensor's dtype.</exception>
        protected static void FillNormal(torch.Tensor tensor, double mean, double std, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            RequireRepresentable(tensor, context, $"N({Format(mean)}, {Format(std)}²)", mean, std);
            using var noGrad = torch.no_grad();
            tensor.normal_(mean, std, context.Generator);
        }

        /// <summary>
        /// A float32/float16/bfloat16 tensor cannot take a finite value beyond its dtype's range: libtorch would fail
        /// deep in native code (<c>uniform_</c>: "from is out of bounds"; <c>fill_</c>: "value cannot be converted to type
        /// float without overflow") or draw ±∞. Reject such a value first, naming the parameter and the tensor.
        /// </summary>
        private static void RequireRepresentable(torch.Tensor tensor, WeightInitContext? context, string what, params double[] values)
        {
            double max = tensor.dtype switch
            {
                torch.ScalarType.Float32 => float.MaxValue,
                torch.ScalarType.Float16 => (double)Half.MaxValue,
                torch.ScalarType.BFloat16 => 3.3895313892515355e38,
                _ => double.PositiveInfinity,
            };
            foreach (double v in values)
            {
                if (double.IsFinite(v) && Math.Abs(v) > max)
                {
                    string name = context?.ParameterName is { Length: > 0 } n ? $" '{n}'" : string.Empty;
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"{what} cannot fill the {tensor.dtype} tensor{name}: {Format(v)} is beyond its range (±{max:G3}); use smaller parameters."));
                }
            }
        }

        private static string Format(double value) => TextFormSyntax.FormatValue(value);

        /// <summary>
        /// Fills with N(mean, std²) truncated to [a, b] (absolute bounds), by PyTorch's algorithm
        /// (<c>_no_grad_trunc_normal_</c>): U(2Φ(α) − 1, 2Φ(β) − 1) from the context's generator with
        /// α = (a − mean)/std and β = (b − mean)/std, then <c>erfinv_</c>, × std·√2, + mean, clamped to [a, b]; all in
        /// the tensor's dtype, under no-grad.
        /// </summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="mean">Mean of the untruncated normal.</param>
        /// <param name="std">Standard deviation of the untruncated normal (&gt; 0).</param>
        /// <param name="a">Lower cutoff (absolute).</param>
        /// <param name="b">Upper cutoff (absolute, ≥ a).</param>
        /// <param name="context">Source of the generator.</param>
        protected static void FillTruncatedNormal(torch.Tensor tensor, double mean, double std, double a, double b, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            double l = StandardNormal.Cdf((a - mean) / std);
            double u = StandardNormal.Cdf((b - mean) / std);
            using var noGrad = torch.no_grad();
            tensor.uniform_(2 * l - 1, 2 * u - 1, context.Generator);
            Erfinv(tensor);
            tensor.mul_(std * Math.Sqrt(2.0));
            tensor.add_(mean);
            tensor.clamp_(a, b);
        }

        /// <summary>
        /// erfinv in place: for float32, PyTorch 1.13's own algorithm (<see cref="PyTorchErfinv"/>, bitwise equal to its
        /// <c>erfinv_</c>); for other dtypes, libtorch's <c>erfinv_</c>.
        /// </summary>
        private static void Erfinv(torch.Tensor tensor)
        {
            if (tensor.dtype != torch.ScalarType.Float32 || tensor.numel() == 0)
            {
                tensor.erfinv_();
                return;
            }
            using var contiguous = tensor.contiguous();
            float[] values = contiguous.data<float>().ToArray();
            PyTorchErfinv.Apply(values);
            using var result = torch.tensor(values, tensor.shape);
            tensor.copy_(result);
        }

        /// <summary>Fills with a constant, under no-grad (PyTorch's <c>fill_</c>).</summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="value">The value.</param>
        /// <exception cref="ArgumentException">A finite value beyond the range of the tensor's dtype (e.g. 1e39 for float32).</exception>
        protected static void FillConstant(torch.Tensor tensor, double value)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            RequireRepresentable(tensor, null, $"val={Format(value)}", value);
            using var noGrad = torch.no_grad();
            tensor.fill_(value);
        }
    }
}
