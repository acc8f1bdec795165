using System;
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

        /// <summary>The scheme's parameters in canonical order, with their values.</summary>
        protected virtual IEnumerable<KeyValuePair<string, object>> Parameters => Array.Empty<KeyValuePair<string, object>>();

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

        /// <summary>Fills with U(low, high) from the context's generator, under no-grad (PyTorch's <c>uniform_</c>).</summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="low">Lower bound.</param>
        /// <param name="high">Upper bound.</param>
        /// <param name="context">Source of the generator.</param>
        protected static void FillUniform(torch.Tensor tensor, double low, double high, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            using var noGrad = torch.no_grad();
            tensor.uniform_(low, high, context.Generator);
        }

        /// <summary>Fills with N(mean, std²) from the context's generator, under no-grad (PyTorch's <c>normal_</c>).</summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="mean">Mean.</param>
        /// <param name="std">Standard deviation.</param>
        /// <param name="context">Source of the generator.</param>
        protected static void FillNormal(torch.Tensor tensor, double mean, double std, WeightInitContext context)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(context);
            using var noGrad = torch.no_grad();
            tensor.normal_(mean, std, context.Generator);
        }

        /// <summary>Fills with a constant, under no-grad (PyTorch's <c>fill_</c>).</summary>
        /// <param name="tensor">Tensor to fill.</param>
        /// <param name="value">The value.</param>
        protected static void FillConstant(torch.Tensor tensor, double value)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            using var noGrad = torch.no_grad();
            tensor.fill_(value);
        }

        /// <summary>Creates a KeyValuePair for <see cref="Parameters"/>.</summary>
        /// <param name="name">Parameter name (PyTorch's).</param>
        /// <param name="value">Its value.</param>
        /// <returns>The pair.</returns>
        protected static KeyValuePair<string, object> P(string name, object value) => new(name, value);
    }
}
