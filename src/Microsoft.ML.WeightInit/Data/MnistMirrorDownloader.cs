using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Step (c) of <see cref="MnistDataSource"/>: downloads <c>&lt;mirror&gt;&lt;name&gt;.gz</c> for each file the
    /// cache lacks, decompresses while streaming, verifies the SHA-256 of the decompressed bytes and moves the file
    /// into the cache; on any failure the temporary file is deleted and the next mirror is tried.
    /// </summary>
    internal static class MnistMirrorDownloader
    {
        /// <summary>Returns the mirrors that served files, or null when some file could not be obtained.</summary>
        public static async Task<IReadOnlyList<Uri>?> DownloadAsync(
            string cacheDirectory, MnistAcquireOptions options, IReadOnlyDictionary<string, string>? expected,
            List<MnistAcquireAttempt> attempts, CancellationToken cancellationToken)
        {
            using var handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout };
            using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("Microsoft.ML.WeightInit");

            var unreachable = new HashSet<Uri>();
            var used = new List<Uri>();
            foreach (string canonical in MnistFiles.All)
            {
                if (MnistFileStore.CheckFile(cacheDirectory, canonical, expected?[canonical]) is null)
                {
                    continue;
                }

                bool done = false;
                foreach (Uri mirror in options.Mirrors.Where(m => !unreachable.Contains(m)))
                {
                    var url = new Uri(WithTrailingSlash(mirror), canonical + ".gz");
                    options.Log?.Invoke($"MNIST: downloading {url}");
                    var (failure, isUnreachable) = await TryDownloadAsync(http, url, cacheDirectory, canonical, expected?[canonical], options.DownloadTimeout, cancellationToken)
                        .ConfigureAwait(false);
                    if (failure is null)
                    {
                        if (!used.Contains(mirror))
                        {
                            used.Add(mirror);
                        }
                        done = true;
                        break;
                    }

                    if (isUnreachable)
                    {
                        unreachable.Add(mirror);
                        failure += "; mirror skipped for the remaining files";
                    }
                    options.Log?.Invoke($"MNIST: {url}: {failure}");
                    attempts.Add(new MnistAcquireAttempt(MnistSourceKind.Mirror, url.ToString(), failure));
                }

                if (!done)
                {
                    return null;
                }
            }
            return used;
        }

        private const string UnreachablePrefix = "unreachable: ";

        /// <summary>Downloads one file; on failure, why, and whether the mirror is unreachable (no answer: skip it
        /// for the remaining files), as a flag rather than a prefix to look for in the text.</summary>
        private static async Task<(string? Failure, bool Unreachable)> TryDownloadAsync(
            HttpClient http, Uri url, string cacheDirectory, string canonical, string? expectedSha256, TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return ($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", false);
                }

                await using var body = await response.Content.ReadAsStreamAsync(timeoutSource.Token).ConfigureAwait(false);
                await using var gzip = new GZipStream(body, CompressionMode.Decompress);
                await MnistFileStore.WriteVerifiedAsync(gzip, cacheDirectory, canonical, expectedSha256, url.ToString(), timeoutSource.Token)
                    .ConfigureAwait(false);
                return (null, false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ($"{UnreachablePrefix}timed out after {timeout.TotalSeconds:0.#} s", true);
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                return (UnreachablePrefix + e.Message, true);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return (e.Message, false);
            }
        }

        private static Uri WithTrailingSlash(Uri mirror) =>
            mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/");
    }
}
