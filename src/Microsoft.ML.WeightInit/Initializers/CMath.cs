using System;
using System.Runtime.InteropServices;

namespace Microsoft.ML.WeightInit.Initializers
{
    /// <summary>
    /// The C library's <c>erf</c>, <c>erff</c>, <c>expf</c> and <c>logf</c>: the functions PyTorch's truncated-normal
    /// sampling reaches (Python's <c>math.erf</c> wraps <c>erf</c>; ATen's scalar <c>erfinv</c> calls <c>std::erf</c>,
    /// <c>std::exp</c>, <c>std::log</c> on floats). Calling the same functions on the same machine gives the same bits.
    /// When the C math library cannot be loaded, close managed substitutes are used (values then agree with
    /// PyTorch's to about 1 ulp instead of bit for bit).
    /// </summary>
    internal static class CMath
    {
        private static readonly DoubleFunction s_erf;
        private static readonly FloatFunction s_erff;
        private static readonly FloatFunction s_expf;
        private static readonly FloatFunction s_logf;

        static CMath()
        {
            IntPtr library = Load();
            s_erf = Bind<DoubleFunction>(library, "erf") ?? ManagedErf;
            s_erff = Bind<FloatFunction>(library, "erff") ?? (x => (float)ManagedErf(x));
            s_expf = Bind<FloatFunction>(library, "expf") ?? MathF.Exp;
            s_logf = Bind<FloatFunction>(library, "logf") ?? MathF.Log;
            IsNative = library != IntPtr.Zero;
        }

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate double DoubleFunction(double x);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate float FloatFunction(float x);

        /// <summary>Whether the C math library was found (else managed substitutes are in use).</summary>
        public static bool IsNative { get; }

        public static double Erf(double x) => s_erf(x);

        public static float Erff(float x) => s_erff(x);

        public static float Expf(float x) => s_expf(x);

        public static float Logf(float x) => s_logf(x);

        private static IntPtr Load()
        {
            string[] candidates = OperatingSystem.IsWindows() ? new[] { "ucrtbase.dll" }
                : OperatingSystem.IsMacOS() ? new[] { "/usr/lib/libSystem.B.dylib", "libm.dylib" }
                : new[] { "libm.so.6", "libm.so" };
            foreach (string name in candidates)
            {
                if (NativeLibrary.TryLoad(name, out IntPtr handle))
                {
                    return handle;
                }
            }
            return IntPtr.Zero;
        }

        private static T? Bind<T>(IntPtr library, string name)
            where T : Delegate =>
            library != IntPtr.Zero && NativeLibrary.TryGetExport(library, name, out IntPtr address)
                ? Marshal.GetDelegateForFunctionPointer<T>(address)
                : null;

        /// <summary>erf through libtorch's float64 kernel (within 1 ulp of C's).</summary>
        private static double ManagedErf(double x) => StandardNormal.TorchErf(x);
    }
}
