using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// BenchmarkDotNet configurations: in-process (the data is loaded once and shared), and for the long-running
    /// training benchmarks the monitoring strategy (no pilot stage: one warm-up and a few measured iterations).
    /// </summary>
    public static class BenchmarkConfigs
    {
        /// <summary>Training-scale benchmarks (seconds per invocation).</summary>
        public static IConfig Long(int iterations) => Create(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(iterations));

        /// <summary>Millisecond-scale benchmarks.</summary>
        public static IConfig Short() => Create(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10));

        private static IConfig Create(Job job) => ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
    }
}
