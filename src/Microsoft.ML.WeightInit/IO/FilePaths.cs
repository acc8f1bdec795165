using System.IO;

namespace Microsoft.ML.WeightInit.IO
{
    /// <summary>Path helpers shared by the writers.</summary>
    internal static class FilePaths
    {
        /// <summary>The final target of a symbolic link (dangling or not); any other path, existing or not, as given.</summary>
        /// <param name="fullPath">An absolute path.</param>
        public static string FollowLinks(string fullPath)
        {
            try
            {
                return new FileInfo(fullPath).LinkTarget is null ? fullPath
                    : File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName ?? fullPath;
            }
            catch (IOException)
            {
                return fullPath; // a link loop or a missing directory: the caller's own open reports it
            }
        }
    }
}
