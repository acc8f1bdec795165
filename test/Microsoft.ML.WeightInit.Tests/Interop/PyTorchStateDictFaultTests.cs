using System;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.IO;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Tests.Interop
{
    /// <summary>
    /// Hostile and broken PyTorch state dicts: a .pt file is a pickle, i.e. a program. Importing one must never name
    /// an arbitrary type, allocate far beyond the file's size, or yield a model with NaN weights; exporting one must
    /// never leave a half-written file in place of a good one.
    /// </summary>
    [TestClass]
    public sealed class PyTorchStateDictFaultTests
    {
        private const long AllocationBound = 64L << 20;

        private static string s_directory = null!;

        [ClassInitialize]
        public static void CreateDirectory(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-pt-faults-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
        }

        [ClassCleanup]
        public static void DeleteDirectory() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        public void AHandMadeStateDict_Imports_WithItsValues()
        {
            var parameters = StateDictFiles.MnistNet();

            using var model = Import(StateDictFiles.Zip(parameters));

            foreach (var p in parameters)
            {
                CollectionAssert.AreEqual(p.Values, model.Model.StateDict()[p.Name].data<float>().ToArray(), p.Name);
            }
        }

        [TestMethod]
        [DataRow("os", "system", true, DisplayName = "os.system('touch …')")]
        [DataRow("builtins", "eval", true, DisplayName = "builtins.eval('…')")]
        [DataRow("__main__", "Payload", false, DisplayName = "__main__.Payload() as a dict value")]
        [DataRow("System.Diagnostics", "Process", false, DisplayName = ".NET type name")]
        public void AGlobalForAnyOtherType_IsRejected_BeforeAnythingIsUnpickled(string module, string name, bool withArgument)
        {
            string marker = Path.Combine(s_directory, "pwned-" + Guid.NewGuid().ToString("N"));
            var parameters = StateDictFiles.MnistNet();
            byte[] pickle = StateDictFiles.Pickle(parameters, w =>
            {
                w.Str("payload").Global(module, name);
                if (withArgument)
                {
                    w.Mark().Str($"touch {marker}").Tuple();
                }
                else
                {
                    w.EmptyTuple();
                }
                w.Reduce();
            });
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long tensors = Tensor.TotalCount;

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(parameters, pickle)));

            StringAssert.Contains(e.Message, $"the Python global '{module}.{name}'");
            StringAssert.Contains(e.Message, "names only collections.OrderedDict, torch._utils._rebuild_tensor_v2 and torch.*Storage");
            Assert.AreEqual(tensors, Tensor.TotalCount, "the unpickler ran: it builds tensors");
            Assert.IsFalse(File.Exists(marker));
        }

        [TestMethod]
        public void AStorageClaimingMoreElementsThanItsEntryHolds_IsRejected_WithoutAllocatingForIt()
        {
            var parameters = StateDictFiles.MnistNet();
            parameters[4] = parameters[4] with { DeclaredElements = 500_000_000 }; // fc1.weight: 2 GB claimed, 1.6 MB present
            byte[] file = StateDictFiles.Zip(parameters);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(file));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            StringAssert.Contains(e.Message, "storage '4' of 500,000,000 elements (4 bytes each) whose entry archive/data/4 holds 1,600,000 bytes");
            Assert.IsLessThan(AllocationBound, allocated, $"allocated {allocated:N0} bytes for a {file.Length:N0}-byte file");
        }

        [TestMethod]
        public void ATensorLargerThanItsStorage_IsRejected()
        {
            var parameters = StateDictFiles.MnistNet();
            parameters[6] = parameters[6] with { Shape = new long[] { 100_000, 100_000 } }; // fc2.weight: 40 GB of zeros first

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(parameters)));

            StringAssert.Contains(e.Message, "a tensor of 10,000,000,000 elements at offset 0 in a storage of 5,000");
        }

        [TestMethod]
        [DataRow(new byte[] { (byte)'X', 0xF0, 0xFF, 0xFF, 0x7F }, "a string of 2,147,483,632 bytes, beyond the pickle's end", DisplayName = "BINUNICODE of 2 GB")]
        [DataRow(new byte[] { (byte)'B', 0xF0, 0xFF, 0xFF, 0x7F }, "opcode 0x42 ('B')", DisplayName = "BINBYTES of 2 GB")]
        [DataRow(new byte[] { (byte)'j', 7, 0, 0, 0 }, "memo entry 7, which was never stored", DisplayName = "LONG_BINGET of nothing")]
        [DataRow(new byte[] { (byte)'i', (byte)'o', (byte)'s', 10, (byte)'s', 10 }, "opcode 0x69 ('i')", DisplayName = "INST os.system")]
        [DataRow(new byte[] { (byte)'t' }, "an opcode that needs a MARK without one", DisplayName = "TUPLE without MARK")]
        public void AMalformedPickle_IsRejected_WithoutAllocatingForIt(byte[] opcodes, string expected)
        {
            var parameters = StateDictFiles.MnistNet();
            byte[] pickle = new PickleWriter().OrderedDict().Raw(opcodes).Op('.').ToArray();
            byte[] file = StateDictFiles.Zip(parameters, pickle);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(file));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            StringAssert.Contains(e.Message, expected);
            Assert.IsLessThan(AllocationBound, allocated, $"allocated {allocated:N0} bytes");
        }

        [TestMethod]
        public void CompressedStorages_AreReadCompletely()
        {
            // torch.save stores entries; TorchSharp.PyBridge's own export deflates them: both must load whole.
            var parameters = StateDictFiles.MnistNet();

            using var model = Import(StateDictFiles.Zip(parameters, StateDictFiles.Pickle(parameters), compressStorages: true));

            CollectionAssert.AreEqual(parameters[4].Values, model.Model.StateDict()["fc1.weight"].data<float>().ToArray());
        }

        [TestMethod]
        [DataRow(float.NaN)]
        [DataRow(float.PositiveInfinity)]
        public void NonFiniteWeights_AreRejected_NamingTheParameterAndTheFile(float bad)
        {
            var parameters = StateDictFiles.MnistNet();
            parameters[7].Values[3] = bad;
            string path = Path.Combine(s_directory, "diverged.pt");
            File.WriteAllBytes(path, StateDictFiles.Zip(parameters));

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, $"Parameter 'fc2.bias' holds {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)} at flat index 3");
        }

        [TestMethod]
        public void WrongNamesAndShapes_AreRejected_NamingThem()
        {
            var renamed = StateDictFiles.MnistNet();
            renamed[0] = renamed[0] with { Name = "features.0.weight" };
            var e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(renamed)));
            StringAssert.Contains(e.Message, "no 4-D 'conv1.weight'");
            StringAssert.Contains(e.Message, "features.0.weight");

            var reshaped = StateDictFiles.MnistNet();
            reshaped[2] = new StateDictParameter("conv2.weight", new long[] { 50, 20, 3, 3 }, new float[50 * 20 * 9]);
            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(reshaped)));
            StringAssert.Contains(e.Message, "Parameter 'conv2.weight' has shape [50, 20, 3, 3]; the network needs [50, 20, 5, 5]");

            var extra = StateDictFiles.MnistNet();
            extra.Add(new StateDictParameter("fc3.weight", new long[] { 10, 10 }, new float[100]));
            e = Assert.ThrowsExactly<InvalidDataException>(() => Import(StateDictFiles.Zip(extra)));
            StringAssert.Contains(e.Message, "unexpected fc3.weight");
        }

        [TestMethod]
        public void ALegacyOrTruncatedFile_IsRejected_NamingIt()
        {
            byte[] good = StateDictFiles.Zip(StateDictFiles.MnistNet());
            string truncated = Path.Combine(s_directory, "truncated.pt");
            File.WriteAllBytes(truncated, good[..(good.Length / 2)]);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(truncated));

            StringAssert.Contains(e.Message, truncated);
            StringAssert.Contains(e.Message, "not a zip archive");
        }

        [TestMethod]
        public void AnUnseekableStream_IsRejected_SayingWhy()
        {
            using var stream = new ForwardOnlyStream(StateDictFiles.Zip(StateDictFiles.MnistNet()));

            var e = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().Model.ImportInitCnn(stream));

            StringAssert.Contains(e.Message, "readable and seekable");
        }

        [TestMethod]
        public void ExportStateDict_ReplacesTheFileByRenaming_NeverRewritesItInPlace()
        {
            // A reader holding the old file keeps its whole content (a new inode took its name): a kill or a failure
            // mid-export can therefore only lose the new file, never the old one.
            string path = Path.Combine(s_directory, "replace.pt");
            byte[] old = StateDictFiles.Zip(StateDictFiles.MnistNet(seed: 1));
            File.WriteAllBytes(path, old);
            using var model = Import(StateDictFiles.Zip(StateDictFiles.MnistNet(seed: 2)));
            using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

            model.Model.ExportStateDict(path);

            var kept = new MemoryStream();
            reader.CopyTo(kept);
            CollectionAssert.AreEqual(old, kept.ToArray(), "the old file was rewritten in place");
            using var reloaded = new MLContext().Model.ImportInitCnn(path);
            CollectionAssert.AreEqual(StateDictFiles.MnistNet(seed: 2)[7].Values, reloaded.Model.StateDict()["fc2.bias"].data<float>().ToArray());
            Assert.IsEmpty(Directory.GetFiles(s_directory, "*.partial"));
        }

        [TestMethod]
        public void AtomicFile_FailingMidWrite_LeavesTheOldFileIntact_AndNoPartialFile()
        {
            string path = Path.Combine(s_directory, "report.json");
            File.WriteAllText(path, "old content");

            var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[100_000]);
                throw new IOException("disk full (simulated)");
            }));

            Assert.AreEqual("disk full (simulated)", e.Message);
            Assert.AreEqual("old content", File.ReadAllText(path));
            Assert.IsEmpty(Directory.GetFiles(s_directory, "*.partial"));

            AtomicFile.Write(path, stream => stream.Write("new"u8));
            Assert.AreEqual("new", File.ReadAllText(path));
        }

        [TestMethod]
        public void ExportStateDict_ToADirectory_FailsClearly_AndLeavesItAlone()
        {
            string directory = Directory.CreateDirectory(Path.Combine(s_directory, "a-directory")).FullName;
            using var model = Import(StateDictFiles.Zip(StateDictFiles.MnistNet()));

            var e = Assert.ThrowsExactly<IOException>(() => model.Model.ExportStateDict(directory));

            StringAssert.Contains(e.Message, "is a directory");
            Assert.IsTrue(Directory.Exists(directory));
        }

        private static InitCnnTransformer Import(byte[] file)
        {
            using var stream = new MemoryStream(file, writable: false);
            return new MLContext().Model.ImportInitCnn(stream);
        }

        private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
        {
            public override bool CanSeek => false;
        }
    }
}
