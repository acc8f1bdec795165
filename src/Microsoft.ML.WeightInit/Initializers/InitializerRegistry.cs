using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Every scheme the text form knows: the sealed <see cref="WeightInitializer"/> records of this assembly, each by
    /// its <c>SchemeName</c>, read from text through its primary constructor (<see cref="InitializerSignature"/>:
    /// PyTorch's argument names and defaults; Keras' for variance_scaling). Nothing about a scheme is written here.
    /// </summary>
    internal static class InitializerRegistry
    {
        private static readonly Dictionary<string, InitializerSignature> Schemes = Discover();

        /// <summary>Names of every known scheme, sorted.</summary>
        public static IReadOnlyList<string> Names { get; } = Schemes.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

        /// <summary>The signature of a scheme.</summary>
        /// <param name="name">The scheme's name.</param>
        /// <returns>The signature, or null for an unknown name.</returns>
        public static InitializerSignature? Signature(string name) => Schemes.GetValueOrDefault(name);

        /// <summary>Reads a text form; the scheme's parameters are validated.</summary>
        /// <exception cref="FormatException">Unknown scheme or parameter (the message lists the valid ones), a value
        /// that does not parse, or a value the scheme rejects.</exception>
        public static WeightInitializer Parse(string text)
        {
            var (name, arguments) = TextFormSyntax.Split(text);
            if (!Schemes.TryGetValue(name, out var signature))
            {
                throw new FormatException(
                    $"Unknown initializer '{name}' in '{text}'. Valid: {string.Join(", ", Names)}.");
            }
            var given = arguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            object?[] values = new object?[signature.Parameters.Count];
            for (int i = 0; i < values.Length; i++)
            {
                var parameter = signature.Parameters[i];
                if (!given.TryGetValue(parameter.TextName, out string? value))
                {
                    values[i] = parameter.HasDefault ? parameter.DefaultValue : throw Error(text, $"parameter '{parameter.TextName}' is required");
                }
                else if (!parameter.TryParse(value, out values[i], out string? error))
                {
                    throw Error(text, error!);
                }
            }
            foreach (string key in given.Keys)
            {
                if (!signature.Parameters.Any(p => p.TextName == key))
                {
                    string valid = signature.Parameters.Count == 0 ? "none" : string.Join(", ", signature.Parameters.Select(p => p.TextName));
                    throw Error(text, $"unknown parameter '{key}'; {name} takes: {valid}");
                }
            }
            var initializer = (WeightInitializer)signature.Constructor.Invoke(BindingFlags.DoNotWrapExceptions, null, values, null);
            try
            {
                initializer.ValidateParameters();
            }
            catch (ParameterException e)
            {
                throw Error(text, e.Reason);
            }
            return initializer;
        }

        /// <summary>The error of a text form: <paramref name="what"/> (with or without a final period) ends the
        /// message with exactly one period.</summary>
        private static FormatException Error(string text, string what) =>
            new($"Invalid initializer '{text}': {what.TrimEnd('.')}.");

        /// <summary>The sealed initializer records of this assembly that declare a <c>SchemeName</c> constant.</summary>
        private static Dictionary<string, InitializerSignature> Discover()
        {
            var schemes = new Dictionary<string, InitializerSignature>(StringComparer.Ordinal);
            foreach (var type in typeof(WeightInitializer).Assembly.GetTypes()
                .Where(t => t.IsSealed && !t.IsAbstract && t.IsSubclassOf(typeof(WeightInitializer))))
            {
                if (type.GetField("SchemeName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                    && field.GetRawConstantValue() is string name)
                {
                    schemes.Add(name, InitializerSignature.Of(type));
                }
            }
            return schemes;
        }
    }
}
