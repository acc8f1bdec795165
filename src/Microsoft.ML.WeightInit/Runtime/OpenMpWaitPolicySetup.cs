using System;
using System.IO;
using System.Linq;

namespace Microsoft.ML.WeightInit
{
    /// <summary>Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment before libtorch's OpenMP runtime starts
    /// (see <see cref="OpenMpWaitPolicy"/>); runs from the module initializer and again from
    /// <see cref="TorchRuntime"/> (once).</summary>
    internal static class OpenMpWaitPolicySetup
    {
        /// <summary>Variables by which a user chooses how OpenMP threads wait (standard, libgomp's, Intel/LLVM's).</summary>
        internal static readonly string[] UserVariables = { OpenMpWaitPolicy.WaitPolicyVariable, "GOMP_SPINCOUNT", "KMP_BLOCKTIME" };

        private static readonly object Gate = new();
        private static OpenMpWaitPolicy? _current;

        /// <summary>The policy decided at the first <see cref="Apply"/>.</summary>
        public static OpenMpWaitPolicy Current => Apply();

        /// <summary>Decides and (when it is ours to choose) sets the policy, once per process.</summary>
        public static OpenMpWaitPolicy Apply()
        {
            lock (Gate)
            {
                if (_current is null)
                {
                    bool supported = NativeEnvironment.IsSupported;
                    _current = Decide(supported, supported ? NativeEnvironment.Get : _ => null, supported && OpenMpRuntimeLoaded());
                    if (_current.Source == OpenMpWaitPolicySource.Library)
                    {
                        NativeEnvironment.Set(_current.Variable, _current.Value!);
                    }
                }
                return _current;
            }
        }

        /// <summary>The decision: the user's variable if one is set, else too late if the runtime is loaded, else ours.</summary>
        internal static OpenMpWaitPolicy Decide(bool supported, Func<string, string?> getNative, bool runtimeLoaded)
        {
            if (!supported)
            {
                return new OpenMpWaitPolicy(OpenMpWaitPolicy.WaitPolicyVariable, null, OpenMpWaitPolicySource.NotSupported);
            }
            foreach (var name in UserVariables)
            {
                if (getNative(name) is { } value)
                {
                    return new OpenMpWaitPolicy(name, value, OpenMpWaitPolicySource.User);
                }
            }
            return runtimeLoaded
                ? new OpenMpWaitPolicy(OpenMpWaitPolicy.WaitPolicyVariable, null, OpenMpWaitPolicySource.RuntimeAlreadyLoaded)
                : new OpenMpWaitPolicy(OpenMpWaitPolicy.WaitPolicyVariable, OpenMpWaitPolicy.PassiveValue, OpenMpWaitPolicySource.Library);
        }

        /// <summary>Whether an OpenMP runtime or libtorch is mapped into this process (Linux; false elsewhere).</summary>
        internal static bool OpenMpRuntimeLoaded()
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }
            try
            {
                return File.ReadLines("/proc/self/maps").Any(line =>
                    line.Contains("libgomp", StringComparison.Ordinal) || line.Contains("libiomp", StringComparison.Ordinal)
                    || line.Contains("libomp", StringComparison.Ordinal) || line.Contains("libtorch_cpu", StringComparison.Ordinal));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false; // no /proc (a sandbox): setting the variable is then at worst too late, never harmful
            }
        }
    }
}
