using System;
using System.Collections.Generic;
using Microsoft.ML.WeightInit.Initializers;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Diagnostics
{
    /// <summary>
    /// The seed article's "Mean initialization" listing: the mean of conv1.weight (20 × 1 × 5 × 5) after each of
    /// zeros, ones, uniform, normal, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal and orthogonal,
    /// all with PyTorch's default arguments, applied one after the other to the same tensor. It replays the article's
    /// session on one generator: <c>torch.manual_seed(seed)</c>, <c>conv1 = nn.Conv2d(1, 20, 5, 1)</c> (default reset
    /// of weight and bias), <c>xavier_uniform_(conv1.weight)</c> (In [9]), then the listing (In [10]); so for the same
    /// seed every value equals PyTorch's (orthogonal to about 1e-7). The article's own numbers came from an unseeded
    /// session and cannot be reproduced.
    /// </summary>
    public static class MeanInitializationListing
    {
        private static readonly long[] s_conv1WeightShape = { 20, 1, 5, 5 };

        /// <summary>Shape of conv1.weight: 20 × 1 × 5 × 5.</summary>
        public static IReadOnlyList<long> Conv1WeightShape => s_conv1WeightShape;

        /// <summary>The listing's steps in order: the article's label and the initializer (PyTorch defaults).</summary>
        public static IReadOnlyList<(string Label, WeightInitializer Initializer)> Steps { get; } = new (string, WeightInitializer)[]
        {
            ("Zeros", new ZerosInitializer()),
            ("Ones", new OnesInitializer()),
            ("Uniform", new UniformInitializer()),
            ("Normal", new NormalInitializer()),
            ("Xavier uniform", new XavierUniformInitializer()),
            ("Xavier normal", new XavierNormalInitializer()),
            ("Kaiming uniform", new KaimingUniformInitializer()),
            ("Kaiming normal", new KaimingNormalInitializer()),
            ("Orthogonal", new OrthogonalInitializer()),
        };

        /// <summary>Runs the listing.</summary>
        /// <param name="seed">Seed of the generator (PyTorch's <c>torch.manual_seed</c>); default 1.</param>
        /// <returns>One line per step, in the article's order: label, text form, mean of conv1.weight (computed in
        /// float64 over the 500 float32 values).</returns>
        public static IReadOnlyList<SchemeMean> Run(long seed = 1)
        {
            var means = new List<SchemeMean>();
            int step = 0;
            Replay(seed, (_, tensor) =>
            {
                var (label, initializer) = Steps[step++];
                using var wide = tensor.to_type(torch.ScalarType.Float64);
                using var mean = wide.mean();
                means.Add(new SchemeMean(label, initializer.TextForm, mean.item<double>()));
            });
            return means;
        }

        /// <summary>Replays the session, handing conv1.weight to <paramref name="observe"/> after each step with the
        /// step's scheme name (e.g. <c>xavier_uniform</c>).</summary>
        internal static void Replay(long seed, Action<string, torch.Tensor> observe)
        {
            TorchRuntime.EnsureInitialized();
            using var scope = torch.NewDisposeScope();
            using var generator = new torch.Generator(unchecked((ulong)seed));
            var weight = torch.empty(s_conv1WeightShape);
            var bias = torch.empty(20);
            var reset = new PyTorchDefaultInitializer();
            reset.Initialize(weight, Context(generator, ParameterRole.Weight));
            reset.Initialize(bias, Context(generator, ParameterRole.Bias));
            new XavierUniformInitializer().Initialize(weight, Context(generator, ParameterRole.Weight));
            foreach (var (_, initializer) in Steps)
            {
                initializer.Initialize(weight, Context(generator, ParameterRole.Weight));
                observe(initializer.Name, weight);
            }
        }

        private static WeightInitContext Context(torch.Generator generator, ParameterRole role) =>
            new(generator, "conv1", role, Conv1WeightShape);
    }
}
