using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Every scheme the text form knows: its name and the factory that builds it from its arguments (PyTorch's
    /// argument names and defaults; Keras' for variance_scaling).
    /// </summary>
    internal static class InitializerRegistry
    {
        private static readonly Dictionary<string, Func<TextFormArguments, WeightInitializer>> Factories =
            new(StringComparer.Ordinal)
            {
                [PyTorchDefaultInitializer.SchemeName] = _ => new PyTorchDefaultInitializer(),
                [ZerosInitializer.SchemeName] = _ => new ZerosInitializer(),
                [OnesInitializer.SchemeName] = _ => new OnesInitializer(),
                [ConstantInitializer.SchemeName] = a => new ConstantInitializer(a.RequiredDouble("val")),
                [UniformInitializer.SchemeName] = a => new UniformInitializer(a.Double("a", 0), a.Double("b", 1)),
                [NormalInitializer.SchemeName] = a => new NormalInitializer(a.Double("mean", 0), a.Double("std", 1)),
                [TruncNormalInitializer.SchemeName] = a => new TruncNormalInitializer(
                    a.Double("mean", 0), a.Double("std", 1), a.Double("a", -2), a.Double("b", 2)),
                [XavierUniformInitializer.SchemeName] = a => new XavierUniformInitializer(a.Double("gain", 1.0)),
                [XavierNormalInitializer.SchemeName] = a => new XavierNormalInitializer(a.Double("gain", 1.0)),
                [KaimingUniformInitializer.SchemeName] = a => new KaimingUniformInitializer(
                    a.Double("a", 0), a.FanMode("mode", FanMode.FanIn), a.Nonlinearity("nonlinearity", Nonlinearity.LeakyRelu)),
                [KaimingNormalInitializer.SchemeName] = a => new KaimingNormalInitializer(
                    a.Double("a", 0), a.FanMode("mode", FanMode.FanIn), a.Nonlinearity("nonlinearity", Nonlinearity.LeakyRelu)),
                [OrthogonalInitializer.SchemeName] = a => new OrthogonalInitializer(a.Double("gain", 1.0)),
                [SparseInitializer.SchemeName] = a => new SparseInitializer(a.RequiredDouble("sparsity"), a.Double("std", 0.01)),
                [EyeInitializer.SchemeName] = _ => new EyeInitializer(),
                [DiracInitializer.SchemeName] = a => new DiracInitializer(a.Long("groups", 1)),
                [VarianceScalingInitializer.SchemeName] = a => new VarianceScalingInitializer(
                    a.Double("scale", 1.0),
                    a.VarianceScalingMode("mode", VarianceScalingMode.FanIn),
                    a.Distribution("distribution", VarianceScalingDistribution.TruncatedNormal)),
                [LecunNormalInitializer.SchemeName] = _ => new LecunNormalInitializer(),
                [LecunUniformInitializer.SchemeName] = _ => new LecunUniformInitializer(),
                [LsuvInitializer.SchemeName] = a => new LsuvInitializer(a.Double("tol", 0.1), a.Long("max_iterations", 10)),
            };

        /// <summary>Names of every known scheme, sorted.</summary>
        public static IReadOnlyList<string> Names { get; } = Factories.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

        /// <summary>Reads a text form; the scheme's parameters are validated.</summary>
        /// <exception cref="FormatException">Unknown scheme or parameter (the message lists the valid ones), a value
        /// that does not parse, or a value the scheme rejects.</exception>
        public static WeightInitializer Parse(string text)
        {
            var (name, arguments) = TextFormSyntax.Split(text);
            if (!Factories.TryGetValue(name, out var factory))
            {
                throw new FormatException(
                    $"Unknown initializer '{name}' in '{text}'. Valid: {string.Join(", ", Names)}.");
            }
            var args = new TextFormArguments(name, text, arguments);
            WeightInitializer initializer;
            try
            {
                initializer = factory(args);
                args.EnsureAllKnown();
                initializer.ValidateParameters();
            }
            catch (ArgumentException e)
            {
                throw args.Error(e.Message.Split(" (Parameter")[0].TrimEnd('.'));
            }
            return initializer;
        }
    }
}
