using System;
using System.IO;

namespace Microsoft.ML.WeightInit.Examples.Commands
{
    /// <summary>
    /// Checks, before any training, that an output file or directory can be written: a run that trains for an hour
    /// and then cannot write its results has lost them. Creates missing directories (as the writers would).
    /// </summary>
    public static class OutputPaths
    {
        /// <summary>Checks a directory the command writes files into (created when missing).</summary>
        /// <param name="option">The option, e.g. <c>--out</c>.</param>
        /// <param name="path">The directory, as given.</param>
        /// <returns>null, or the error naming the option and the path as given.</returns>
        public static string? CheckDirectory(string option, string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return $"{option} is empty; expected a directory path.";
            }
            string full = Path.GetFullPath(path);
            return File.Exists(full) ? $"{option} '{path}' is a file; expected a directory." : Probe(option, path, full);
        }

        /// <summary>Checks a file the command creates or replaces.</summary>
        /// <param name="option">The option, e.g. <c>--csv</c>.</param>
        /// <param name="path">The file, as given.</param>
        /// <param name="createDirectory">Create its directory when missing (else a missing directory is the error).</param>
        /// <returns>null, or the error naming the option and the path as given.</returns>
        public static string? CheckFile(string option, string path, bool createDirectory = true)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return $"{option} is empty; expected a file path.";
            }
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                return $"{option} '{path}' is a directory; expected a file path.";
            }
            string directory = Path.GetDirectoryName(full)!;
            if (!createDirectory && !Directory.Exists(directory))
            {
                return File.Exists(directory)
                    ? $"{option} '{path}': '{directory}' is a file, not a directory."
                    : $"{option} '{path}': directory '{directory}' does not exist.";
            }
            return Probe(option, path, directory);
        }

        /// <summary>Checks a file the command reads back, locks and appends to (a trial log): a device or FIFO
        /// (e.g. <c>/dev/null</c>) cannot be one.</summary>
        /// <param name="option">The option, e.g. <c>--log</c>.</param>
        /// <param name="path">The file, as given.</param>
        /// <returns>null, or the error naming the option and the path as given.</returns>
        public static string? CheckRegularFile(string option, string path)
        {
            if (CheckFile(option, path) is { } error)
            {
                return error;
            }
            return File.Exists(path) && IO.UnixFileType.IsSpecial(Path.GetFullPath(path))
                ? $"{option} '{path}' is a device or FIFO; expected a regular file (it is read back, locked and appended to)."
                : null;
        }

        private static string? Probe(string option, string path, string directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
                string probe = Path.Combine(directory, $"{Output.Comparison.ReportDirectory.WriteCheckPrefix}{Guid.NewGuid():N}");
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"{option} '{path}': cannot write in '{directory}' ({e.GetType().Name}).";
            }
        }
    }
}
