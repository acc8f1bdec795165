using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Picks, once per process, a convolution path that computes correctly on this CPU: channels-last first (it is
    /// also the fastest on x86), then libtorch's native dispatch, then im2col. Each candidate is checked against a
    /// float64 reference (<see cref="ConvolutionCheck"/>); the first that passes is used. Then the fused conv1 + ReLU +
    /// max-pool kernel of the seed net's first block is checked the same way (forward, weight and bias gradients); it is
    /// used only when it passed, and otherwise that block runs on the chosen path.
    /// </summary>
    internal static class ConvolutionPathSelector
    {
        /// <summary>Order in which paths are tried.</summary>
        public static IReadOnlyList<ConvolutionPath> Preference { get; } =
            new[] { ConvolutionPath.ChannelsLast, ConvolutionPath.Native, ConvolutionPath.Im2Col };

        private static readonly Lazy<ConvolutionPathSelection> Selected = new(Select, isThreadSafe: true);

        /// <summary>The path chosen for this process and the checks behind the choice (runs the checks on first use,
        /// about 0.1 s).</summary>
        public static ConvolutionPathSelection Current => Selected.Value;

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ConvolutionPathSelection> ForShapes = new();

        /// <summary>
        /// The path for a deep architecture's convolutions: the process's path (<see cref="Current"/>) when it also
        /// passes the float64 check on <paramref name="shapes"/> with <paramref name="kernel"/>-sized kernels, else the
        /// first path of <see cref="Preference"/> that does. Checked once per set of shapes per process.
        /// </summary>
        /// <exception cref="InvalidOperationException">No path computes these shapes correctly.</exception>
        internal static ConvolutionPathSelection For(IReadOnlyList<(long Batch, long In, long Out, long Size)> shapes, long kernel) =>
            For(new[] { (shapes, kernel) });

        /// <summary>
        /// The path for convolutions of several kernel sizes (a residual network's 3×3 convolutions and 1×1 shortcut
        /// projections), chosen as by the single-kernel overload: a path passes when it passes the check of every group;
        /// its check reports the largest error and the total time over the groups.
        /// </summary>
        /// <exception cref="InvalidOperationException">No path computes these shapes correctly.</exception>
        internal static ConvolutionPathSelection For(IReadOnlyList<(IReadOnlyList<(long Batch, long In, long Out, long Size)> Shapes, long Kernel)> groups)
        {
            string key = string.Join("|", groups.Select(g => g.Kernel + ":" + string.Join(";", g.Shapes)));
            return ForShapes.GetOrAdd(key, _ =>
            {
                var current = Current.Path;
                var checks = new List<ConvolutionCheck>();
                foreach (var path in Preference.Where(p => p == current).Concat(Preference.Where(p => p != current)))
                {
                    var parts = groups.Select(g => ConvolutionCheck.Run(path, g.Shapes, g.Kernel)).ToList();
                    // Math.Max keeps a NaN (a failed group); LINQ Max would skip it.
                    var check = new ConvolutionCheck(path, parts.Select(c => c.MaxRelativeError).Aggregate(0.0, Math.Max), parts.Sum(c => c.Milliseconds));
                    checks.Add(check);
                    if (check.Passed)
                    {
                        return new ConvolutionPathSelection(path, checks);
                    }
                }
                throw new InvalidOperationException(
                    "No convolution path computes the architecture's convolutions correctly on this machine (checked against float64): "
                    + string.Join("; ", checks.Select(c => c.ToString())));
            });
        }

        private static ConvolutionPathSelection Select()
        {
            TorchRuntime.EnsureInitialized();
            var checks = new List<ConvolutionCheck>();
            foreach (var path in Preference)
            {
                var check = ConvolutionCheck.Run(path);
                checks.Add(check);
                if (check.Passed)
                {
                    return new ConvolutionPathSelection(path, checks) { FusedConv1 = Kernels.ConvReluPoolCheck.Run() };
                }
            }
            throw new InvalidOperationException(
                "No convolution path computes correctly on this machine (checked against float64): "
                + string.Join("; ", checks.Select(c => c.ToString())));
        }
    }

    /// <summary>The convolution path in use and the checks that chose it.</summary>
    /// <param name="Path">The path in use.</param>
    /// <param name="Checks">Every check run, in order; the last one passed.</param>
    internal sealed record ConvolutionPathSelection(ConvolutionPath Path, IReadOnlyList<ConvolutionCheck> Checks)
    {
        /// <summary>The check of the fused conv1 + ReLU + max-pool kernel, which the seed net's first block uses when
        /// it passed (and the caller pinned no path); null when not run.</summary>
        internal Kernels.ConvReluPoolCheck? FusedConv1 { get; init; }

        /// <summary>Whether the fused conv1 + ReLU + max-pool kernel passed its float64 check.</summary>
        internal bool UsesFusedConv1 => FusedConv1?.Passed == true;

        /// <summary>One line for logs: the path and every check.</summary>
        /// <returns>The line.</returns>
        public override string ToString() =>
            $"Convolution path: {Path} (checked against float64: {string.Join("; ", Checks.Select(c => c.ToString()))}"
            + (FusedConv1 is null ? ")" : $"; {FusedConv1})");
    }
}
