using System;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>libtorch's intra-op thread count for a fit: pinned by <see cref="TrainingSettings.NumberOfThreads"/>,
    /// else libtorch's own (one per core). libtorch keeps the count per thread, so it is applied on the thread that
    /// trains and read back there.</summary>
    internal static class ThreadUse
    {
        /// <summary>A requested count capped at the cores this process may use; 0 stays 0 (libtorch's default).</summary>
        /// <remarks>More threads than cores only slows libtorch down (measured: 64 threads on 2 cores, 4.7× slower; 10⁵
        /// threads never finished an epoch).</remarks>
        public static int Capped(int requested) => Math.Min(requested, Environment.ProcessorCount);

        /// <summary>Pins the calling thread's libtorch thread count when <paramref name="requested"/> &gt; 0.</summary>
        /// <returns>The count libtorch now runs with on the calling thread.</returns>
        public static int Apply(int requested)
        {
            if (requested > 0)
            {
                set_num_threads(Capped(requested));
            }
            return get_num_threads();
        }

        /// <summary>The log line of how a training step uses the threads.</summary>
        /// <param name="workers">Worker threads per batch (1: not split).</param>
        /// <param name="parts">Parts per batch when split.</param>
        /// <param name="threads">libtorch's count on the training thread.</param>
        /// <param name="batchNorm">Whether the network has batch normalization (then never split).</param>
        public static string DescribeSplit(int workers, int parts, int threads, bool batchNorm) => workers > 1
            ? $"Batch split: {parts} parts per batch on {workers} worker threads with libtorch at 1 thread each; gradients added in part order"
            : $"Batch split: none, one graph per batch on {threads} libtorch thread(s){(batchNorm && threads > 1 ? " (batch normalization needs the whole batch)" : string.Empty)}";

        /// <summary>The log line: how many threads, who chose them, and how they wait.</summary>
        public static string Describe(int requested, int running) =>
            $"Threads: {running} ({(requested > 0 ? "pinned by NumberOfThreads" : "NumberOfThreads = 0: libtorch's count on this thread, by default one per core")}); {TorchRuntime.OpenMpWaitPolicy}";
    }
}
