using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// Every scheme the text form knows: its name and the factory that builds it from its arguments.
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
                [XavierUniformInitializer.SchemeName] = a => new XavierUniformInitializer(a.Double("gain", 1.0)),
                [KaimingUniformInitializer.SchemeName] = a => new KaimingUniformInitializer(
                    a.Double("a", 0), a.FanMode("mode", FanMode.FanIn), a.Nonlinearity("nonlinearity", Nonlinearity.LeakyRelu)),
            };

        /// <summary>Names of every known scheme, sorted.</summary>
        public static IReadOnlyList<string> Names => Factories.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

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
            }
            catch (ArgumentException e)
            {
                throw args.Error(e.Message.Split(" (Parameter")[0]);
            }
            args.EnsureAllKnown();
            return initializer;
        }
    }
}
