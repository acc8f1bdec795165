using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>
    /// Issue 15: the trial log is locked as a file (its inode), not by a name beside it: a hard link or a symbolic
    /// link to an open log is refused, in this process and from another one (util-linux's flock(1) as the other).
    /// </summary>
    [TestClass]
    public sealed class TrialLogLockTests
    {
        private const string Data = "test data";
        private string _directory = null!;

        [TestInitialize]
        public void NewDirectory() => _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"trial-log-lock-{Guid.NewGuid():N}")).FullName;

        [TestCleanup]
        public void Delete() => Directory.Delete(_directory, recursive: true);

        [TestMethod]
        [DataRow("hard", DisplayName = "hard link")]
        [DataRow("symbolic", DisplayName = "symbolic link")]
        public void ALinkToAnOpenLog_IsRefused_AsInUse(string kind)
        {
            string log = Path.Combine(_directory, "trials.jsonl");
            string link = Path.Combine(_directory, "other-name.jsonl");
            using var first = TrialLog.Open(log, Data);
            MakeLink(kind, log, link);

            var e = Assert.ThrowsExactly<IOException>(() => TrialLog.Open(link, Data));

            StringAssert.Contains(e.Message, "in use by another sweep");
        }

        [TestMethod]
        [DataRow("hard", DisplayName = "hard link")]
        [DataRow("symbolic", DisplayName = "symbolic link")]
        public void AnotherProcessLockingALink_KeepsTheLogClosed_AndSeesOurLock(string kind)
        {
            string log = Path.Combine(_directory, "trials.jsonl");
            string link = Path.Combine(_directory, "other-name.jsonl");
            using (TrialLog.Open(log, Data))
            {
            }
            MakeLink(kind, log, link);

            // Another process holds a POSIX record lock (lockf) on the file through the link: our open must be refused.
            using (var holder = Python("f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", link))
            {
                try
                {
                    Assert.AreEqual("locked", holder.StandardOutput.ReadLine());
                    var e = Assert.ThrowsExactly<IOException>(() => TrialLog.Open(log, Data));
                    StringAssert.Contains(e.Message, "in use by another sweep");
                }
                finally
                {
                    holder.Kill(entireProcessTree: true);
                    holder.WaitForExit();
                }
            }

            // And the other way: while we hold the log, another process cannot lock it through the link.
            const string TryLock = "f = open(sys.argv[1], 'r+')\ntry:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    sys.exit(3)";
            using (TrialLog.Open(log, Data))
            {
                using var probe = Python(TryLock, link);
                probe.WaitForExit();
                Assert.AreEqual(3, probe.ExitCode, "another process locked an open trial log through a link");
            }
            using var after = Python(TryLock, link);
            after.WaitForExit();
            Assert.AreEqual(0, after.ExitCode, "the lock outlived the closed log");
        }

        [TestMethod]
        public void ADevice_IsNotATrialLog()
        {
            var e = Assert.ThrowsExactly<IOException>(() => TrialLog.Open("/dev/null", Data));

            StringAssert.Contains(e.Message, "'/dev/null' is a device or FIFO");
        }

        [TestMethod]
        public void AnOpenLog_StaysReadable()
        {
            string log = Path.Combine(_directory, "trials.jsonl");
            using var open = TrialLog.Open(log, Data);

            Assert.HasCount(1, File.ReadAllLines(log)); // the header
        }

        private static Process Python(string code, string path)
        {
            var start = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardOutput = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import fcntl, sys, time\n" + code);
            start.ArgumentList.Add(path);
            return Process.Start(start)!;
        }

        private static void MakeLink(string kind, string target, string link)
        {
            if (kind == "symbolic")
            {
                File.CreateSymbolicLink(link, target);
            }
            else
            {
                Assert.AreEqual(0, Link(target, link), "link(2) failed");
            }
        }

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int Link(string target, string link);
    }
}
