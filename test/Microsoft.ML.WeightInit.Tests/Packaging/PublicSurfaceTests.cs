using System;
using System.Linq;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Packaging
{
    /// <summary>Issue 14: the core package's public surface stays small and its dependencies lean.</summary>
    [TestClass]
    public sealed class PublicSurfaceTests
    {
        /// <summary>The bound on the core assembly's exported types (nested public types included).</summary>
        private const int CoreExportedTypeBound = 60;

        public TestContext TestContext { get; set; } = null!;

        [TestMethod]
        public void CoreAssembly_ExportsAtMostSixtyTypes()
        {
            var exported = typeof(InitCnnTrainer).Assembly.GetExportedTypes().Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
            TestContext.WriteLine($"Microsoft.ML.WeightInit exports {exported.Length} types:{Environment.NewLine}{string.Join(Environment.NewLine, exported)}");
            Assert.IsTrue(exported.Length <= CoreExportedTypeBound, $"{exported.Length} exported types (bound {CoreExportedTypeBound}): {string.Join(", ", exported)}");
        }

        [TestMethod]
        public void CoreAssembly_KeepsTheConvolutionMachineryAndTheEngineInternal()
        {
            var exported = typeof(InitCnnTrainer).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet();
            foreach (var name in new[]
            {
                "ConvolutionPathSelector", "ConvolutionPathSelection", "ConvolutionCheck", "Conv2dLayer", "LinearLayer",
                "TensorDataset", "TrainingLoop", "TrainingSettings", "AtomicFile", "MnistDataSource",
            })
            {
                Assert.IsFalse(exported.Contains(name), $"{name} is machinery, not user API: it must be internal.");
            }
            Assert.IsTrue(exported.Contains("ConvolutionPath"), "the enum that forces a convolution path stays public (InitCnnTrainer.Options.ConvolutionPath)");
        }

        [TestMethod]
        public void CoreAssembly_DoesNotReferenceTheExperimentsDependencies()
        {
            var references = typeof(InitCnnTrainer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
            foreach (var name in new[] { "CsvHelper", "MathNet.Numerics", "Microsoft.ML.WeightInit.Experiments" })
            {
                Assert.IsFalse(references.Contains(name), $"the core assembly references {name}: {string.Join(", ", references)}");
            }
            var experiments = typeof(InitializerComparison).Assembly;
            Assert.AreEqual("Microsoft.ML.WeightInit.Experiments", experiments.GetName().Name);
            TestContext.WriteLine($"Microsoft.ML.WeightInit.Experiments exports {experiments.GetExportedTypes().Length} types.");
        }
    }
}
