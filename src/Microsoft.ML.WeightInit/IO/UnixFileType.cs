using System;
using System.Runtime.InteropServices;

namespace Microsoft.ML.WeightInit.IO
{
    /// <summary>
    /// What kind of file a path names, which .NET does not say on Unix (a device, a FIFO and a regular file all report
    /// <see cref="System.IO.FileAttributes.Normal"/>): glibc's <c>stat</c>, read at <c>st_mode</c>'s offset for the
    /// process's architecture (x64: 24, arm64: 16). Elsewhere, or when <c>stat</c> is unavailable, nothing is special.
    /// </summary>
    internal static class UnixFileType
    {
        private const int FileTypeMask = 0xF000, RegularFile = 0x8000, Directory = 0x4000;

        /// <summary>True when <paramref name="path"/> (symbolic links followed) exists and is neither a regular file nor a
        /// directory: a character or block device, a FIFO or a socket.</summary>
        public static bool IsSpecial(string path)
        {
            int offset = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => 24,
                Architecture.Arm64 => 16,
                _ => -1,
            };
            if (!OperatingSystem.IsLinux() || offset < 0)
            {
                return false;
            }
            try
            {
                var buffer = new byte[256]; // struct stat is 144 (x64) or 128 (arm64) bytes
                if (Stat(path, buffer) != 0)
                {
                    return false;
                }
                int type = BitConverter.ToInt32(buffer, offset) & FileTypeMask;
                return type != RegularFile && type != Directory;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                return false; // glibc before 2.33 exports no plain stat
            }
        }

        [DllImport("libc", EntryPoint = "stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        private static extern int Stat(string path, [Out] byte[] buffer);
    }
}
