using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Microsoft.ML.WeightInit.IO
{
    /// <summary>
    /// Replaces a file only once its new content is complete: the content goes to a temporary file in the same
    /// directory, is flushed to disk, then renamed over the target (an atomic replace on one file system). A failure
    /// or a kill part-way leaves the old file as it was; a failure also removes the temporary file. A symbolic link is
    /// followed (its target is replaced, the link stays); the replacement keeps the old file's permissions; a device or
    /// FIFO (e.g. <c>/dev/null</c>) is written into directly, as there is nothing to keep. A writer locks its temporary
    /// file until the rename; temporary files of the same target left by killed writers (unlocked) are deleted by the
    /// next write to that target. Every file this
    /// library and its Examples app write (model zips through <c>SaveAtomically</c>, sweep leaderboards, comparison
    /// reports) goes through it.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
        /// <param name="path">The file to create or replace.</param>
        /// <param name="write">Writes the whole content to the stream it is given (must not close it).</param>
        /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
        /// <exception cref="IOException">The directory or file cannot be written (e.g. <paramref name="path"/> is a
        /// directory; <see cref="DirectoryNotFoundException"/> when its directory does not exist). Errors of the system
        /// about the temporary file are rethrown as the same type naming <paramref name="path"/>, the original as the
        /// inner exception.</exception>
        /// <exception cref="UnauthorizedAccessException">The directory is not writable (the message names
        /// <paramref name="path"/>).</exception>
        public static void Write(string path, Action<Stream> write)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(write);
            string full = FilePaths.FollowLinks(Path.GetFullPath(path));
            if (Directory.Exists(full))
            {
                throw new IOException($"'{full}' is a directory; expected a file path.");
            }
            if (File.Exists(full) && UnixFileType.IsSpecial(full))
            {
                // A device or FIFO (e.g. /dev/null) is written into: renaming over it would replace the device itself.
                using var special = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                write(special);
                return;
            }
            string directory = Path.GetDirectoryName(full) ?? throw new IOException($"'{full}' has no directory.");
            string name = Path.GetFileName(full);
            string prefix = TemporaryPrefix(name);
            RemoveAbandoned(directory, prefix);
            string temporary = Path.Combine(directory, $"{prefix}{Guid.NewGuid():N}.partial");
            FileStream? stream = null;
            try
            {
                // Every system call on the temporary file, and every write the caller makes through its stream, is
                // marked (TemporaryFileException): the system names the hidden temporary file, which the caller never
                // heard of, so such an error is rethrown naming the target. The caller's own errors pass unchanged.
                var created = OnTemporary(() => new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
                stream = created;
                // Held until the rename: a later writer's clean-up (RemoveAbandoned) leaves a locked temporary alone.
                FileLock.TryLockExclusive(created.SafeFileHandle);
                using (var marked = new TemporaryFileStream(created))
                {
                    write(marked);
                }
                OnTemporary(() => created.Flush(flushToDisk: true));
                if (!OperatingSystem.IsWindows() && File.Exists(full))
                {
                    var mode = File.GetUnixFileMode(full);
                    OnTemporary(() =>
                    {
                        if (!OperatingSystem.IsWindows())
                        {
                            File.SetUnixFileMode(temporary, mode); // the replacement keeps the file's mode
                        }
                    });
                }
                if (OperatingSystem.IsWindows())
                {
                    OnTemporary(created.Dispose); // Windows renames no open file
                }
                OnTemporary(() => File.Move(temporary, full, overwrite: true));
            }
            catch (TemporaryFileException e)
            {
                throw NamingTarget(e.InnerException!, path, full, directory);
            }
            finally
            {
                try
                {
                    // After a success everything is flushed already; after a failure (a full disk) the buffer's second
                    // flush attempt must not replace the error that names the target.
                    stream?.Dispose();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
                try
                {
                    File.Delete(temporary); // nothing left after the move; the partial file after a failure
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Its name never matches the target's, so a leftover is harmless.
                }
            }
        }

        /// <summary>".&lt;name&gt;.": the temporary files of a target are this, 32 hex digits and ".partial" (the name is cut
        /// to 200 characters so that the whole stays within the 255 bytes of a file name).</summary>
        internal static string TemporaryPrefix(string name) => $".{(name.Length > 200 ? name[..200] : name)}.";

        /// <summary>
        /// Deletes the temporary files of earlier writes to the same target that were abandoned (the writer was killed
        /// before its rename): only names of exactly this class's form, only regular files, and only those no process
        /// holds locked — a writer locks its temporary file from creation to rename, so a concurrent write to the same
        /// target keeps its file; the system drops a killed writer's lock.
        /// </summary>
        private static void RemoveAbandoned(string directory, string prefix)
        {
            if (OperatingSystem.IsWindows())
            {
                return; // an open temporary cannot be deleted there anyway, and a lock cannot be probed as on Unix
            }
            IEnumerable<string> candidates;
            try
            {
                candidates = Directory.EnumerateFiles(directory, "*.partial").Where(path => IsTemporaryOf(Path.GetFileName(path), prefix)).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // the write itself reports what is wrong with the directory
            }
            foreach (string candidate in candidates)
            {
                try
                {
                    if (new FileInfo(candidate).LinkTarget is not null || UnixFileType.IsSpecial(candidate))
                    {
                        continue;
                    }
                    using var probe = new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                    if (FileLock.TryLockExclusive(probe.SafeFileHandle))
                    {
                        File.Delete(candidate);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Locked by a live writer (.NET reports its lock as a sharing violation), gone, or not ours to delete.
                }
            }
        }

        private static bool IsTemporaryOf(string fileName, string prefix)
        {
            const int Hex = 32;
            if (fileName.Length != prefix.Length + Hex + ".partial".Length || !fileName.StartsWith(prefix, StringComparison.Ordinal)
                || !fileName.EndsWith(".partial", StringComparison.Ordinal))
            {
                return false;
            }
            foreach (char c in fileName.AsSpan(prefix.Length, Hex))
            {
                if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>An exception of the same kind as <paramref name="e"/> (kept as the inner exception) whose message
        /// names the target instead of the temporary file.</summary>
        private static Exception NamingTarget(Exception e, string path, string full, string directory)
        {
            string target = path == full ? $"'{full}'" : $"'{path}' ({full})";
            string message = e switch
            {
                DirectoryNotFoundException when File.Exists(directory) => $"Cannot write {target}: '{directory}' is a file, not a directory.",
                DirectoryNotFoundException => $"Cannot write {target}: the directory '{directory}' does not exist.",
                UnauthorizedAccessException => $"Cannot write {target}: access to the directory '{directory}' is denied (the file is written to a temporary file there, then renamed).",
                _ => $"Cannot write {target}: {SystemReason(e)}.",
            };
            return e switch
            {
                DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
                PathTooLongException => new PathTooLongException(message, e),
                FileNotFoundException => new FileNotFoundException(message, full, e),
                UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
                _ => new IOException(message, e),
            };
        }

        /// <summary>The system's reason for an error on the temporary file, from its error number (on Unix an
        /// IOException's HResult is the errno), without the temporary file's name.</summary>
        private static string SystemReason(Exception e) =>
            !OperatingSystem.IsWindows() && e.HResult is > 0 and < 4096
                ? Marshal.GetPInvokeErrorMessage(e.HResult)
                : $"{e.GetType().Name} (HRESULT 0x{e.HResult:X8}) on its temporary file in the same directory";

        private static void OnTemporary(Action action) => OnTemporary(() =>
        {
            action();
            return 0;
        });

        private static T OnTemporary<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TemporaryFileException(e);
            }
        }

        /// <summary>An error of the system about the temporary file (the original is the inner exception). An
        /// <see cref="IOException"/>, so a caller's <c>catch (IOException)</c> inside its write still sees it.</summary>
        private sealed class TemporaryFileException : IOException
        {
            public TemporaryFileException(Exception inner)
                : base(inner.Message, inner)
            {
            }
        }

        /// <summary>The temporary file's stream as the caller writes it: every call goes to the file stream, and an
        /// error of the system is marked as being about the temporary file. Disposing it leaves the file open.</summary>
        private sealed class TemporaryFileStream : Stream
        {
            private readonly FileStream _inner;

            public TemporaryFileStream(FileStream inner) => _inner = inner;

            public override bool CanRead => _inner.CanRead;

            public override bool CanSeek => _inner.CanSeek;

            public override bool CanWrite => _inner.CanWrite;

            public override long Length => OnTemporary(() => _inner.Length);

            public override long Position
            {
                get => OnTemporary(() => _inner.Position);
                set => OnTemporary(() => _inner.Position = value);
            }

            public override void Flush() => OnTemporary(_inner.Flush);

            public override int Read(byte[] buffer, int offset, int count) => OnTemporary(() => _inner.Read(buffer, offset, count));

            public override long Seek(long offset, SeekOrigin origin) => OnTemporary(() => _inner.Seek(offset, origin));

            public override void SetLength(long value) => OnTemporary(() => _inner.SetLength(value));

            public override void Write(byte[] buffer, int offset, int count)
            {
                try
                {
                    _inner.Write(buffer, offset, count);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new TemporaryFileException(e);
                }
            }

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                try
                {
                    _inner.Write(buffer);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new TemporaryFileException(e);
                }
            }

            public override void WriteByte(byte value)
            {
                try
                {
                    _inner.WriteByte(value);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new TemporaryFileException(e);
                }
            }

            protected override void Dispose(bool disposing)
            {
                // The file stays open: AtomicFile flushes, renames and closes it.
                base.Dispose(disposing);
            }
        }

        /// <summary>Writes a text file (UTF-8, no byte-order mark) through <paramref name="write"/>, atomically
        /// (see <see cref="Write(string, Action{Stream})"/>).</summary>
        /// <param name="path">The file to create or replace.</param>
        /// <param name="write">Writes the whole text to the writer it is given (must not close it).</param>
        /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
        /// <exception cref="IOException">The directory or file cannot be written.</exception>
        /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
        public static void WriteText(string path, Action<TextWriter> write)
        {
            ArgumentNullException.ThrowIfNull(write);
            Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
                write(writer);
            });
        }
    }
}
