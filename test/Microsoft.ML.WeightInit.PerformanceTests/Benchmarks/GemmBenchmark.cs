using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.PerformanceTests.Benchmarks
{
    /// <summary>This machine's float32 GEMM rate through the same libtorch: C = A·B with 2048 × 2048 matrices.</summary>
    public class GemmBenchmark
    {
        /// <summary>Matrix side.</summary>
        public const int N = 2048;

        private Tensor _a = null!;
        private Tensor _b = null!;

        /// <summary>Floating-point operations of one product: 2·N³.</summary>
        public static double Flops => 2.0 * N * N * N;

        /// <summary>Allocates the operands.</summary>
        [GlobalSetup]
        public void Setup()
        {
            using var g = new Generator(1);
            _a = randn(new long[] { N, N }, generator: g);
            _b = randn(new long[] { N, N }, generator: g);
        }

        /// <summary>Frees them.</summary>
        [GlobalCleanup]
        public void Cleanup()
        {
            _a.Dispose();
            _b.Dispose();
        }

        /// <summary>One product (the result's allocation is negligible next to 2·N³ operations).</summary>
        [Benchmark]
        public void MatMul()
        {
            using var c = _a.mm(_b);
        }
    }
}
