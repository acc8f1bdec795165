using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.WeightInit.IO;

namespace Microsoft.ML.WeightInit.Examples.Output.Comparison
{
    /// <summary>
    /// Replaces a directory of report files as one set: the new set is written into a hidden staging directory beside
    /// it (<c>.NAME.&lt;32 hex&gt;.partial</c>), then exchanged with the old one in one atomic step (Linux
    /// <c>renameat2(RENAME_EXCHANGE)</c>; elsewhere two renames, between which the old set waits whole in
    /// <c>.NAME.&lt;32 hex&gt;.old</c>). A kill at any point leaves the old set or the new one at NAME, never a mix;
    /// staging directories of killed runs (no longer locked) are removed by the next write.
    /// </summary>
    public static class ReportDirectory
    {
        private const string LockName = ".lock";

        /// <summary>Prefix of the output check's probe file (<c>OutputPaths</c>).</summary>
        internal const string WriteCheckPrefix = ".write-check-";

        /// <summary>Entries of <paramref name="directory"/> that are not <paramref name="ownNames"/> (nor hidden
        /// temporaries): the directory holds more than the report set and cannot be replaced as a whole.</summary>
        /// <param name="directory">The report directory (missing: nothing foreign).</param>
        /// <param name="ownNames">The report set's file names.</param>
        public static IReadOnlyList<string> ForeignEntries(string directory, IReadOnlyCollection<string> ownNames)
        {
            string full = Path.GetFullPath(directory);
            if (!Directory.Exists(full))
            {
                return Array.Empty<string>();
            }
            return Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName)
                .Where(n => !ownNames.Contains(n!) && !(n!.StartsWith('.') && n.EndsWith(".partial", StringComparison.Ordinal)) && !IsLeftoverOfOurs(n))
                .Select(n => n!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }

        /// <summary>Files a run killed at the wrong moment leaves inside the report directory: the set's lock (deleted
        /// right after the set is in place) and the output check's probe (<c>.write-check-</c> + 32 hex digits, deleted on
        /// close). They are replaced with the directory as a whole, so they do not make it foreign.</summary>
        private static bool IsLeftoverOfOurs(string name) =>
            name == LockName
            || (name.StartsWith(WriteCheckPrefix, StringComparison.Ordinal) && name.Length == WriteCheckPrefix.Length + 32
                && name[WriteCheckPrefix.Length..].All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c)));

        /// <summary>Writes the set through <paramref name="write"/> (given the staging directory) and puts it in place of
        /// <paramref name="directory"/>.</summary>
        /// <param name="directory">The report directory (created if missing).</param>
        /// <param name="ownNames">The report set's file names; any other entry in the directory is an error.</param>
        /// <param name="write">Writes every file of the set into the directory it is given.</param>
        /// <exception cref="IOException">The directory holds other entries (named), or cannot be written.</exception>
        public static void Replace(string directory, IReadOnlyCollection<string> ownNames, Action<string> write)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(directory);
            // A symbolic link to the report directory stays a link: the set is replaced where it points.
            string full = FilePaths.FollowLinks(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            string parent = Path.GetDirectoryName(full) ?? throw new IOException($"'{full}' has no parent directory.");
            string name = Path.GetFileName(full);
            if (ForeignEntries(full, ownNames) is { Count: > 0 } foreign)
            {
                throw new IOException($"'{full}' holds {string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? ", …" : "")} besides the report files; the report set replaces the directory as a whole: give it a directory of its own.");
            }
            Directory.CreateDirectory(parent);
            RemoveAbandoned(parent, name);
            string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.partial");
            Directory.CreateDirectory(staging);
            string? old = null;
            try
            {
                // Locked until the set is in place: a concurrent run's clean-up leaves this staging directory alone.
                using (var lockFile = new FileStream(Path.Combine(staging, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
                {
                    FileLock.TryLockExclusive(lockFile.SafeFileHandle);
                    write(staging);
                    if (!Directory.Exists(full))
                    {
                        Directory.Move(staging, full);
                        old = null;
                    }
                    else if (OperatingSystem.IsLinux() && Exchange(staging, full))
                    {
                        old = staging; // now holds the previous set
                    }
                    else
                    {
                        old = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
                        Directory.Move(full, old);
                        Directory.Move(staging, full);
                    }
                    File.Delete(Path.Combine(full, LockName));
                }
            }
            catch
            {
                TryDelete(staging);
                throw;
            }
            if (old is not null)
            {
                TryDelete(old);
            }
        }

        /// <summary>Staging (and old) directories of this target left by killed runs: ours by name, and not locked.</summary>
        private static void RemoveAbandoned(string parent, string name)
        {
            string prefix = $".{name}.";
            foreach (string candidate in Directory.EnumerateDirectories(parent, prefix + "*"))
            {
                string rest = Path.GetFileName(candidate)[prefix.Length..];
                string suffix = rest.EndsWith(".partial", StringComparison.Ordinal) ? ".partial" : rest.EndsWith(".old", StringComparison.Ordinal) ? ".old" : "";
                if (suffix.Length == 0 || rest.Length != 32 + suffix.Length || !rest[..32].All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c))
                    || new DirectoryInfo(candidate).LinkTarget is not null)
                {
                    continue;
                }
                string lockPath = Path.Combine(candidate, LockName);
                try
                {
                    if (File.Exists(lockPath))
                    {
                        using var probe = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                        if (!FileLock.TryLockExclusive(probe.SafeFileHandle))
                        {
                            continue; // a live run's staging directory
                        }
                    }
                    Directory.Delete(candidate, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // In use (a sharing violation) or not ours to delete: left alone.
                }
            }
        }

        private static void TryDelete(string directory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover is removed by the next write (RemoveAbandoned).
            }
        }

        /// <summary>Swaps two directories in one step; false where the system or file system cannot.</summary>
        private static bool Exchange(string a, string b)
        {
            const int CurrentDirectory = -100, RenameExchange = 2;
            try
            {
                return RenameAt2(CurrentDirectory, a, CurrentDirectory, b, RenameExchange) == 0;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                return false;
            }
        }

        [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
        private static extern int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
    }
}
