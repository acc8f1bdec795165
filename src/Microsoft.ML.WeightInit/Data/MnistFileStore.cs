using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Checks MNIST files in a directory (SHA-256 of the decompressed content, or IDX structure) and writes new
    /// ones atomically: into a temporary file in the target directory, verified, then moved into place.
    /// </summary>
    internal static class MnistFileStore
    {
        /// <summary>Upper bound on a decompressed file (the largest MNIST file is 47,040,016 bytes).</summary>
        public const long MaxFileBytes = 128L << 20;

        /// <summary>SHA-256 (lower-case hex) of a file's content after gzip decompression if it is gzip.</summary>
        /// <exception cref="InvalidDataException">Corrupt gzip (message names the file).</exception>
        public static string ContentSha256(string path)
        {
            using var input = IdxInput.OpenFile(path);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        /// <summary>
        /// Null when <paramref name="directory"/> holds all four files and they pass the check (SHA-256 against
        /// <paramref name="expectedSha256"/>, or when that is null, IDX structure with matching counts and labels
        /// 0..9); otherwise every problem found, joined.
        /// </summary>
        public static string? CheckDirectory(string directory, IReadOnlyDictionary<string, string>? expectedSha256) =>
            CheckDirectory(directory, expectedSha256, out _);

        /// <summary>Like <see cref="CheckDirectory(string, IReadOnlyDictionary{string, string}?)"/>; also says
        /// whether a file is there but its SHA-256 is not the expected one (other data in MNIST's format).</summary>
        public static string? CheckDirectory(string directory, IReadOnlyDictionary<string, string>? expectedSha256, out bool checksumMismatch)
        {
            checksumMismatch = false;
            if (!Directory.Exists(directory))
            {
                return $"directory '{directory}' does not exist";
            }

            var problems = new List<string>();
            foreach (string canonical in MnistFiles.All)
            {
                string? problem = CheckFile(directory, canonical, expectedSha256?[canonical], out bool mismatch);
                if (problem is not null)
                {
                    problems.Add(problem);
                }
                checksumMismatch |= mismatch;
            }

            if (problems.Count == 0 && expectedSha256 is null)
            {
                foreach (MnistSplit split in new[] { MnistSplit.Train, MnistSplit.Test })
                {
                    try
                    {
                        MnistCatalog.LoadDirectory(directory, split);
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException)
                    {
                        problems.Add(e.Message.TrimEnd('.')); // a fragment: callers add the final period
                    }
                }
            }
            return problems.Count == 0 ? null : string.Join("; ", problems);
        }

        /// <summary>Null when the file is present (and, with <paramref name="expectedSha256"/>, matches); else why not.</summary>
        public static string? CheckFile(string directory, string canonical, string? expectedSha256) =>
            CheckFile(directory, canonical, expectedSha256, out _);

        private static string? CheckFile(string directory, string canonical, string? expectedSha256, out bool checksumMismatch)
        {
            checksumMismatch = false;
            string? path = MnistFiles.Find(directory, canonical);
            if (path is null)
            {
                return $"missing {canonical} (looked for {string.Join(", ", MnistFiles.Candidates(canonical))})";
            }
            if (expectedSha256 is null)
            {
                return null;
            }

            try
            {
                string actual = ContentSha256(path);
                checksumMismatch = !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase);
                return !checksumMismatch
                    ? null
                    : $"{Path.GetFileName(path)}: SHA-256 of the content is {actual}, expected {expectedSha256.ToLowerInvariant()}";
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return $"{Path.GetFileName(path)}: {e.Message.TrimEnd('.')}";
            }
        }

        /// <summary>
        /// Copies <paramref name="content"/> (already decompressed) to <paramref name="directory"/>/<paramref name="canonical"/>
        /// through a temporary file in the same directory, hashing as it goes; on a checksum mismatch or any error the
        /// temporary file is deleted and nothing replaces an existing file.
        /// </summary>
        /// <exception cref="InvalidDataException">SHA-256 mismatch, content larger than <see cref="MaxFileBytes"/>, or corrupt gzip.</exception>
        public static async Task WriteVerifiedAsync(Stream content, string directory, string canonical, string? expectedSha256, string sourceName, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(directory);
            string finalPath = Path.Combine(directory, canonical);
            string tempPath = Path.Combine(directory, $".{canonical}.{Guid.NewGuid():N}.partial");
            try
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    byte[] buffer = new byte[1 << 16];
                    long total = 0;
                    int n;
                    while ((n = await ReadAsync(content, buffer, sourceName, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        total += n;
                        if (total > MaxFileBytes)
                        {
                            throw new InvalidDataException($"{sourceName}: content exceeds {MaxFileBytes:N0} bytes, far more than any MNIST file");
                        }
                        hash.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    }
                }

                string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException(
                        $"{sourceName}: SHA-256 of the decompressed content is {actual}, expected {expectedSha256.ToLowerInvariant()}; file rejected");
                }
                File.Move(tempPath, finalPath, overwrite: true);
            }
            finally
            {
                TryDelete(tempPath);
            }
        }

        private static async ValueTask<int> ReadAsync(Stream content, byte[] buffer, string sourceName, CancellationToken cancellationToken)
        {
            try
            {
                return await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{sourceName}: corrupt gzip data ({e.Message})", e);
            }
        }

        /// <summary>Deletes a file if it exists, ignoring failures (used for temporary files only).</summary>
        public static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary file is harmless: its name never matches an MNIST file name.
            }
        }
    }
}
