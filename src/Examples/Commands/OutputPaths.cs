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
        /// <summary>Checks a directory the command writes files into.</summary>
        /// <param name="option">The option, e.g. <c>--out</c>.</param>
        /// <param name="path">The directory.</param>
        /// <returns>null, or the error naming the option and the path.</returns>
        public static string? CheckDirectory(string option, string path)
        {
            string full = Path.GetFullPath(path);
            return File.Exists(full) ? $"{option} '{full}' is a file; expected a directory." : Probe(option, full, full);
        }

        /// <summary>Checks a file the command creates or replaces.</summary>
        /// <param name="option">The option, e.g. <c>--csv</c>.</param>
        /// <param name="path">The file.</param>
        /// <returns>null, or the error naming the option and the path.</returns>
        public static string? CheckFile(string option, string path)
        {
            string full = Path.GetFullPath(path);
            return Directory.Exists(full) ? $"{option} '{full}' is a directory; expected a file path."
                : Probe(option, full, Path.GetDirectoryName(full)!);
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
