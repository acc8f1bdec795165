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

        private static string? Probe(string option, string path, string directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
                string probe = Path.Combine(directory, $".write-check-{Guid.NewGuid():N}");
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
