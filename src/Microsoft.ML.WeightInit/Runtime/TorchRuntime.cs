using System;
using TorchSharp;

namespace Microsoft.ML.WeightInit
{
    /// <summary>Loads libtorch through TorchSharp once and turns a load failure into an error that says what to do.</summary>
    public static class TorchRuntime
    {
        private static readonly Lazy<string> Version = new(Load, isThreadSafe: true);

        /// <summary>The libtorch version TorchSharp loaded, e.g. <c>2.10.0</c>.</summary>
        public static string LibTorchVersion => Version.Value;

        /// <summary>How libtorch's OpenMP threads wait (passively unless the user chose otherwise; see
        /// <see cref="WeightInit.OpenMpWaitPolicy"/>). Decided before libtorch loads.</summary>
        public static OpenMpWaitPolicy OpenMpWaitPolicy => OpenMpWaitPolicySetup.Current;

        /// <summary>Makes sure TorchSharp's native libraries are loaded.</summary>
        /// <exception cref="InvalidOperationException">They are not loadable; the message gives the cause and the fix.</exception>
        public static void EnsureInitialized() => _ = Version.Value;

        private static string Load()
        {
            // The OpenMP runtime reads its wait policy once, when libtorch loads it (the module initializer already
            // decided; this is a no-op then).
            OpenMpWaitPolicySetup.Apply();
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                return torch.__version__;
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException)
            {
                throw new InvalidOperationException(
                    "TorchSharp could not load its native libraries (libLibTorchSharp.so / libtorch). On Debian 12 and " +
                    "Ubuntu 22.04 this happens when the build step that weakens libLibTorchSharp.so's GLIBCXX_3.4.32 need " +
                    "did not run: build the app with the Microsoft.ML.WeightInit package (or this repository) and without " +
                    "-p:WeightInitPatchTorchSharpNative=false. Cause: " + Innermost(e).Message, e);
            }
        }

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException is not null)
            {
                e = e.InnerException;
            }
            return e;
        }
    }
}
