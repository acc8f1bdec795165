using System;
using System.Runtime.InteropServices;

namespace Microsoft.ML.WeightInit
{
    /// <summary>
    /// The C library's environment (<c>getenv</c>/<c>setenv</c>), which native code such as the OpenMP runtime reads.
    /// On Linux and macOS .NET keeps its own copy of the environment: <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// does not reach <c>getenv</c>, so variables meant for native libraries are set here.
    /// </summary>
    internal static class NativeEnvironment
    {
        /// <summary>Whether this platform's C library is reachable (Linux, macOS).</summary>
        public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

        /// <summary>The value native code sees, or null when unset.</summary>
        /// <exception cref="PlatformNotSupportedException">Not Linux or macOS.</exception>
        public static string? Get(string name)
        {
            RequireSupported();
            return Marshal.PtrToStringUTF8(getenv(name));
        }

        /// <summary>Sets <paramref name="name"/> for native code (overwriting).</summary>
        /// <exception cref="PlatformNotSupportedException">Not Linux or macOS.</exception>
        /// <exception cref="InvalidOperationException">setenv failed (the message gives errno).</exception>
        public static void Set(string name, string value)
        {
            RequireSupported();
            if (setenv(name, value, 1) != 0)
            {
                throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}.");
            }
        }

        /// <summary>Removes <paramref name="name"/> from the native environment (tests).</summary>
        public static void Unset(string name)
        {
            RequireSupported();
            _ = unsetenv(name);
        }

        private static void RequireSupported()
        {
            if (!IsSupported)
            {
                throw new PlatformNotSupportedException("The C library's environment is only reached on Linux and macOS.");
            }
        }

        [DllImport("libc")]
        private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

        [DllImport("libc", SetLastError = true)]
        private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

        [DllImport("libc")]
        private static extern int unsetenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    }
}
