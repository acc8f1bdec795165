using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Microsoft.ML.WeightInit.IO
{
    /// <summary>
    /// An exclusive lock on an open file itself, so every name of the file — a hard link, a symbolic link — reaches
    /// the same lock, and the system releases it when the descriptor closes or the process dies. On Linux an
    /// open-file-description record lock (<c>fcntl(F_OFD_SETLK)</c>, a write lock on the whole file): it conflicts
    /// with other such locks and with POSIX record locks (<c>lockf</c>), in this process or another, but not with the
    /// <c>flock</c> shared locks .NET readers take, so the file stays readable (<c>File.ReadAllLines</c>,
    /// <c>tail -f</c>). Elsewhere on Unix <c>flock(LOCK_EX)</c>; on Windows the file's sharing mode already locks the
    /// file itself, and this does nothing.
    /// </summary>
    internal static class FileLock
    {
        private const int OfdSetLock = 37, WriteLock = 1, LockExclusive = 2, LockNonBlocking = 4;

        /// <summary>Takes the lock without waiting.</summary>
        /// <param name="handle">The open file (opened for writing on Linux).</param>
        /// <returns>False when another open file (in this process or another) holds it.</returns>
        /// <exception cref="IOException">The system refused the lock for another reason (the message says which).</exception>
        public static bool TryLockExclusive(SafeFileHandle handle)
        {
            ArgumentNullException.ThrowIfNull(handle);
            if (OperatingSystem.IsWindows())
            {
                return true;
            }
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                int fd = (int)handle.DangerousGetHandle();
                int result;
                if (OperatingSystem.IsLinux())
                {
                    // struct flock: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid (0 for OFD locks).
                    var region = new FlockRecord { Type = WriteLock, Whence = 0, Start = 0, Length = 0, Pid = 0 };
                    result = Fcntl(fd, OfdSetLock, ref region);
                }
                else
                {
                    result = Flock(fd, LockExclusive | LockNonBlocking);
                }
                if (result == 0)
                {
                    return true;
                }
                int errno = Marshal.GetLastPInvokeError();
                // EAGAIN/EACCES (fcntl) or EWOULDBLOCK (flock): 11 and 13 on Linux, 35 on macOS and the BSDs.
                if (errno is 11 or 13 or 35)
                {
                    return false;
                }
                throw new IOException($"Locking the file failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct FlockRecord
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length;
            public int Pid;
            private int _padding;
        }

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        private static extern int Fcntl(int fd, int command, ref FlockRecord region);

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        private static extern int Flock(int fd, int operation);
    }
}
