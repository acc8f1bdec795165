using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Examples.Output.Comparison;
using Microsoft.ML.WeightInit.Experiments;
using Microsoft.ML.WeightInit.IO;
using Microsoft.ML.WeightInit.Tests.Experiments;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.IO
{
    /// <summary>Files are replaced only when complete: a failure part-way leaves the old file and no partial one.</summary>
    [TestClass]
    public sealed class AtomicFileTests
    {
        private string _directory = null!;

        [TestInitialize]
        public void Create() => Directory.CreateDirectory(_directory = Path.Combine(Path.GetTempPath(), "weightinit-atomic-" + Guid.NewGuid().ToString("N")));

        [TestCleanup]
        public void Remove() => Directory.Delete(_directory, recursive: true);

        [TestMethod]
        public void WriteText_ReplacesTheFile_WithUtf8WithoutBom()
        {
            string path = Path.Combine(_directory, "a.txt");
            File.WriteAllText(path, "old");

            AtomicFile.WriteText(path, w => w.Write("négatif ± 1"));

            CollectionAssert.AreEqual(System.Text.Encoding.UTF8.GetBytes("négatif ± 1"), File.ReadAllBytes(path));
            CollectionAssert.AreEqual(new[] { "a.txt" }, Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray());
        }

        [TestMethod]
        public void AFailurePartWay_KeepsTheOldFile_AndLeavesNoPartialFile()
        {
            string path = Path.Combine(_directory, "a.txt");
            File.WriteAllText(path, "old content");

            var e = Assert.ThrowsExactly<InvalidOperationException>(() => AtomicFile.WriteText(path, w =>
            {
                w.Write(new string('x', 1 << 20)); // more than the writer's buffer: bytes reach the temporary file
                throw new InvalidOperationException("disk full (simulated)");
            }));

            Assert.AreEqual("disk full (simulated)", e.Message);
            Assert.AreEqual("old content", File.ReadAllText(path));
            CollectionAssert.AreEqual(new[] { "a.txt" }, Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray());
        }

        [TestMethod]
        public void ASymbolicLink_IsFollowed_ItsTargetReplaced_TheLinkKept()
        {
            string target = Path.Combine(_directory, "v1.zip"), link = Path.Combine(_directory, "current.zip");
            File.WriteAllText(target, "old");
            File.CreateSymbolicLink(link, target);

            AtomicFile.WriteText(link, w => w.Write("new"));

            Assert.AreEqual("new", File.ReadAllText(target));
            Assert.AreEqual(target, new FileInfo(link).LinkTarget, "the link was replaced by a file");
        }

        [TestMethod]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void TheReplacement_KeepsTheOldFilesPermissions()
        {
            string path = Path.Combine(_directory, "secret.csv");
            File.WriteAllText(path, "old");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            AtomicFile.WriteText(path, w => w.Write("new"));

            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        [TestMethod]
        public void ADevice_IsWrittenInto_NotReplaced()
        {
            AtomicFile.WriteText("/dev/null", w => w.Write("discarded"));

            Assert.IsTrue(UnixFileType.IsSpecial("/dev/null"), "/dev/null is no longer a device");
            Assert.IsFalse(UnixFileType.IsSpecial(Path.Combine(_directory, "none")));
            File.WriteAllText(Path.Combine(_directory, "regular"), "x");
            Assert.IsFalse(UnixFileType.IsSpecial(Path.Combine(_directory, "regular")));
            Assert.IsFalse(UnixFileType.IsSpecial(_directory));
        }

        [TestMethod]
        public void ALongButLegalFileName_IsWritten()
        {
            string path = Path.Combine(_directory, new string('a', 240));

            AtomicFile.WriteText(path, w => w.Write("x"));

            Assert.AreEqual("x", File.ReadAllText(path));
        }

        [TestMethod]
        public void APathThatIsADirectory_IsAnIOExceptionNamingIt()
        {
            var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.WriteText(_directory, w => w.Write("x")));
            StringAssert.Contains(e.Message, _directory);
        }

        [TestMethod]
        public void AMissingDirectory_IsADirectoryNotFoundException_NamingTheTarget_NotTheTemporaryFile()
        {
            string path = Path.Combine(_directory, "missing", "model.pt");

            var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => AtomicFile.WriteText(path, w => w.Write("x")));

            StringAssert.Contains(e.Message, $"'{path}'");
            StringAssert.Contains(e.Message, $"the directory '{Path.Combine(_directory, "missing")}' does not exist.");
            Assert.DoesNotContain(".partial", e.Message);
            Assert.IsInstanceOfType<DirectoryNotFoundException>(e.InnerException, "the system's exception is kept");
            Assert.IsFalse(Directory.Exists(Path.Combine(_directory, "missing")));
        }

        [TestMethod]
        public void ADirectoryThatIsAFile_IsAnIOException_NamingTheTarget_NotTheTemporaryFile()
        {
            string file = Path.Combine(_directory, "a.txt");
            File.WriteAllText(file, "a file");
            string path = Path.Combine(file, "model.pt");

            var e = Assert.Throws<IOException>(() => AtomicFile.WriteText(path, w => w.Write("x")));

            StringAssert.Contains(e.Message, $"'{path}'");
            Assert.DoesNotContain(".partial", e.Message);
            Assert.IsNotNull(e.InnerException);
        }

        [TestMethod]
        public void AComparisonReportFailingPartWay_KeepsThePreviousReport()
        {
            var summary = ComparisonSummary.Create(SyntheticComparison.ThreeSeeds());
            ComparisonReportFiles.Write(_directory, summary, "synthetic");
            string csv = Path.Combine(_directory, ComparisonReportFiles.RunsCsv);
            byte[] before = File.ReadAllBytes(csv);

            Assert.ThrowsExactly<InvalidOperationException>(() => CsvReport.Write(csv, Failing(CsvReport.Runs(summary.Result), after: 2)));

            CollectionAssert.AreEqual(before, File.ReadAllBytes(csv), "the previous CSV was changed");
            Assert.IsFalse(Directory.GetFiles(_directory).Any(f => f.EndsWith(".partial", StringComparison.Ordinal)), "a partial file was left");
        }

        private static IEnumerable<T> Failing<T>(IEnumerable<T> rows, int after)
        {
            foreach (var row in rows.Take(after))
            {
                yield return row;
            }
            throw new InvalidOperationException("the run was stopped while its report was written (simulated)");
        }
    }
}
