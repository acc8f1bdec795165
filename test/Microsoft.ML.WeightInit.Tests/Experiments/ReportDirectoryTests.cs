using System;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Examples.Output.Comparison;
using Microsoft.ML.WeightInit.Tests.Reliability;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Experiments
{
    /// <summary>
    /// Issue 15: compare's report files are replaced as one set (staging directory, then one exchange): a run killed
    /// or failing part-way leaves the previous set whole — never comparison.md of one run beside the CSV of another.
    /// </summary>
    [TestClass]
    public sealed class ReportDirectoryTests
    {
        private string _parent = null!;

        [TestInitialize]
        public void NewDirectory() => _parent = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"report-set-{Guid.NewGuid():N}")).FullName;

        [TestCleanup]
        public void Delete() => Directory.Delete(_parent, recursive: true);

        private static void WriteSet(string directory, string run, int failAfter = int.MaxValue)
        {
            int written = 0;
            foreach (string name in ComparisonReportFiles.Names)
            {
                if (written++ == failAfter)
                {
                    throw new IOException("disk full (simulated) part-way through the set");
                }
                File.WriteAllText(Path.Combine(directory, name), run);
            }
        }

        [TestMethod]
        public void AWriteFailingPartWay_LeavesThePreviousSetWhole_AndNoStagingDirectory()
        {
            string reports = Path.Combine(_parent, "compare");
            ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 1"));

            Assert.ThrowsExactly<IOException>(() => ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 2", failAfter: 3)));

            foreach (string name in ComparisonReportFiles.Names)
            {
                Assert.AreEqual("run 1", File.ReadAllText(Path.Combine(reports, name)), name);
            }
            CollectionAssert.AreEquivalent(new[] { "compare" }, Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName).ToArray());
        }

        [TestMethod]
        public void ASuccessfulWrite_ReplacesEveryFile_AndLeavesNothingBeside()
        {
            string reports = Path.Combine(_parent, "compare");
            ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 1"));

            ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 2"));

            CollectionAssert.AreEquivalent(ComparisonReportFiles.Names.ToArray(), Directory.GetFiles(reports).Select(Path.GetFileName).ToArray());
            Assert.IsTrue(ComparisonReportFiles.Names.All(n => File.ReadAllText(Path.Combine(reports, n)) == "run 2"));
            CollectionAssert.AreEquivalent(new[] { "compare" }, Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName).ToArray());
        }

        [TestMethod]
        public void TheLockAndWriteProbe_OfARunKilledAfterTheSwap_DoNotBlockTheNextWrite_ButOtherFilesDo()
        {
            string reports = Path.Combine(_parent, "compare");
            ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 1"));
            // Killed between the swap and the lock's deletion, or inside the output check.
            File.WriteAllText(Path.Combine(reports, ".lock"), "");
            File.WriteAllText(Path.Combine(reports, $".write-check-{Guid.NewGuid():N}"), "");

            ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 2"));

            CollectionAssert.AreEquivalent(ComparisonReportFiles.Names.ToArray(), Directory.GetFileSystemEntries(reports).Select(Path.GetFileName).ToArray());
            File.WriteAllText(Path.Combine(reports, ".lockx"), "");
            File.WriteAllText(Path.Combine(reports, ".write-check-notours"), "");
            var error = Assert.ThrowsExactly<IOException>(() => ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 3")));
            StringAssert.Contains(error.Message, ".lockx");
            StringAssert.Contains(error.Message, ".write-check-notours");
        }

        [TestMethod]
        public void AStagingDirectoryOfAKilledRun_IsRemovedByTheNextWrite_AndAnotherNameKept()
        {
            string reports = Path.Combine(_parent, "compare");
            string killed = Directory.CreateDirectory(Path.Combine(_parent, $".compare.{Guid.NewGuid():N}.partial")).FullName;
            File.WriteAllText(Path.Combine(killed, ComparisonReportFiles.Markdown), "half a run");
            File.WriteAllText(Path.Combine(killed, ".lock"), ""); // its lock died with the process
            string other = Directory.CreateDirectory(Path.Combine(_parent, $".other.{Guid.NewGuid():N}.partial")).FullName;

            ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 1"));

            Assert.IsFalse(Directory.Exists(killed));
            Assert.IsTrue(Directory.Exists(other));
        }

        [TestMethod]
        public void ADirectoryHoldingOtherFiles_IsNotReplaced_AndCompareSaysSoBeforeTraining()
        {
            string reports = Directory.CreateDirectory(Path.Combine(_parent, "mine")).FullName;
            File.WriteAllText(Path.Combine(reports, "notes.txt"), "the user's");

            var e = Assert.ThrowsExactly<IOException>(() => ReportDirectory.Replace(reports, ComparisonReportFiles.Names, d => WriteSet(d, "run 1")));
            StringAssert.Contains(e.Message, "notes.txt");
            Assert.AreEqual("the user's", File.ReadAllText(Path.Combine(reports, "notes.txt")));

            var (exitCode, output) = CommandLineErrorTests.Run("compare", "--sample", "-o", reports);
            CommandLineErrorTests.AssertCleanFailure(exitCode, output, $"Error: --out '{reports}' holds notes.txt besides the report files");
        }
    }
}
