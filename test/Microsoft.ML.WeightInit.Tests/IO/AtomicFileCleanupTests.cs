using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.IO;
using Microsoft.ML.WeightInit.Tests.Reliability;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.IO
{
    /// <summary>
    /// Issue 15: temporaries of killed atomic writes are removed by the next write to the same target (only ours, only
    /// unlocked ones: a concurrent writer's stays), and a full disk leaves neither an empty target nor a temporary —
    /// for the library's writes and for <c>images -o</c>'s PNG files.
    /// </summary>
    [TestClass]
    public sealed class AtomicFileCleanupTests
    {
        private const string Hex = "0123456789abcdef0123456789abcdef";
        private string _directory = null!;

        [TestInitialize]
        public void NewDirectory() => _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"atomic-cleanup-{Guid.NewGuid():N}")).FullName;

        [TestCleanup]
        public void Delete()
        {
            Unmount(_directory);
            Directory.Delete(_directory, recursive: true);
        }

        [TestMethod]
        public void AbandonedTemporariesOfTheTarget_AreRemoved_OthersKept()
        {
            string target = Path.Combine(_directory, "report.json");
            string[] abandoned = { $".report.json.{Hex}.partial", $".report.json.{Guid.NewGuid():N}.partial" };
            string[] kept =
            {
                $".other.json.{Hex}.partial", // another target's
                ".report.json.partial", $".report.json.{Hex[..31]}.partial", $".report.json.{Hex.ToUpperInvariant()}.partial", // not our form
                $"report.json.{Hex}.partial", // not hidden
            };
            foreach (string name in abandoned.Concat(kept))
            {
                File.WriteAllText(Path.Combine(_directory, name), "left by a killed writer");
            }

            AtomicFile.WriteText(target, w => w.Write("new"));

            Assert.AreEqual("new", File.ReadAllText(target));
            CollectionAssert.AreEquivalent(kept.Append("report.json").ToArray(), Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray());
        }

        [TestMethod]
        public void ATemporaryLockedByAnotherProcess_IsAConcurrentWrite_AndIsKept()
        {
            string target = Path.Combine(_directory, "model.zip");
            string live = Path.Combine(_directory, $".model.zip.{Hex}.partial");
            File.WriteAllText(live, "being written");
            using var writer = Process.Start(new ProcessStartInfo("/usr/bin/flock", new[] { "-x", live, "sleep", "30" }) { UseShellExecute = false })!;
            try
            {
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < TimeSpan.FromSeconds(20))
                {
                    using var probe = Process.Start(new ProcessStartInfo("/usr/bin/flock", new[] { "-n", "-x", live, "true" }) { UseShellExecute = false })!;
                    probe.WaitForExit();
                    if (probe.ExitCode != 0)
                    {
                        break; // the writer holds it
                    }
                    System.Threading.Thread.Sleep(50);
                }

                AtomicFile.WriteText(target, w => w.Write("ours"));

                Assert.IsTrue(File.Exists(live), "a concurrent writer's temporary file was deleted");
            }
            finally
            {
                writer.Kill(entireProcessTree: true); // flock(1) and the sleep holding the lock
                writer.WaitForExit();
            }
            // The killed tree's last process (sleep, which inherited the lock) may take a moment to go.
            var gone = Stopwatch.StartNew();
            while (gone.Elapsed < TimeSpan.FromSeconds(10))
            {
                using var probe = Process.Start(new ProcessStartInfo("/usr/bin/flock", new[] { "-n", "-x", live, "true" }) { UseShellExecute = false })!;
                probe.WaitForExit();
                if (probe.ExitCode == 0)
                {
                    break;
                }
                System.Threading.Thread.Sleep(50);
            }
            AtomicFile.WriteText(target, w => w.Write("again"));
            Assert.IsFalse(File.Exists(live), "once its writer is gone, the temporary is abandoned and removed");
        }

        [TestMethod]
        public void AFullDisk_LeavesTheOldFileWhole_AndNoTemporary()
        {
            string disk = MountSmallDisk();
            string target = Path.Combine(disk, "big.bin");
            File.WriteAllText(target, "old");

            var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(target, s => s.Write(new byte[256 * 1024])));

            StringAssert.Contains(e.Message, target);
            Assert.AreEqual("old", File.ReadAllText(target));
            CollectionAssert.AreEqual(new[] { "big.bin" }, Directory.GetFiles(disk).Select(Path.GetFileName).ToArray());
        }

        [TestMethod]
        public void ImagesOntoAFullDisk_NamesTheFile_AndLeavesNoEmptyPng()
        {
            string disk = MountSmallDisk();

            var (exitCode, output) = CommandLineErrorTests.Run("images", "-o", disk, "--train", "3000", "--test", "10", "-e", "1");

            CommandLineErrorTests.AssertCleanFailure(exitCode, output, $"Error: Cannot write '{disk}/train/");
            var files = Directory.GetFiles(disk, "*", SearchOption.AllDirectories);
            Assert.IsNotEmpty(files, "nothing was written before the disk filled");
            Assert.IsEmpty(files.Where(f => new FileInfo(f).Length == 0).ToArray(), "an empty PNG was left");
            Assert.IsEmpty(files.Where(f => f.EndsWith(".partial", StringComparison.Ordinal)).ToArray(), "a temporary was left");
        }

        [TestMethod]
        public void ImagesIntoADevice_IsAnErrorNamingTheOption()
        {
            var (exitCode, output) = CommandLineErrorTests.Run("images", "-o", "/dev/full");

            CommandLineErrorTests.AssertCleanFailure(exitCode, output, "Error: --output '/dev/full' is a file; expected a directory.");
        }

        /// <summary>A 64 KiB tmpfs under the test directory (root only; skipped elsewhere).</summary>
        private string MountSmallDisk()
        {
            string disk = Directory.CreateDirectory(Path.Combine(_directory, "disk")).FullName;
            using var mount = Process.Start(new ProcessStartInfo("mount", new[] { "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk })
            {
                UseShellExecute = false, RedirectStandardError = true,
            })!;
            string error = mount.StandardError.ReadToEnd();
            mount.WaitForExit();
            if (mount.ExitCode != 0)
            {
                Assert.Inconclusive($"A small tmpfs cannot be mounted here (root is needed): {error}");
            }
            return disk;
        }

        private static void Unmount(string directory)
        {
            string disk = Path.Combine(directory, "disk");
            if (Directory.Exists(disk))
            {
                using var umount = Process.Start(new ProcessStartInfo("umount", new[] { disk }) { UseShellExecute = false, RedirectStandardError = true })!;
                umount.WaitForExit();
            }
        }
    }
}
