using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Data
{
    [TestClass]
    public sealed class IdxReaderTests
    {
        private static readonly byte[] s_trainImages = MnistTestFiles.SampleRaw("train-images-idx3-ubyte");
        private static readonly byte[] s_testLabels = MnistTestFiles.SampleRaw("t10k-labels-idx1-ubyte");

        [TestMethod]
        public void ReadImages_RawFile_ReadsHeaderAndPixels()
        {
            using var files = new MnistTestFiles();
            string path = files.Write("train-images-idx3-ubyte", s_trainImages);

            IdxImages images = IdxReader.ReadImages(path);

            Assert.AreEqual(6000, images.Count);
            Assert.AreEqual(28, images.Rows);
            Assert.AreEqual(28, images.Columns);
            Assert.AreEqual(784, images.PixelsPerImage);
            Assert.AreEqual(6000 * 784, images.Pixels.Length);
            CollectionAssert.AreEqual(s_trainImages[16..800], images.GetImage(0).ToArray());
            CollectionAssert.AreEqual(s_trainImages[^784..], images.GetImage(5999).ToArray());
        }

        [TestMethod]
        [DataRow("train-images-idx3-ubyte.gz")]
        [DataRow("no-extension")]
        public void ReadImages_GzipFile_DetectedByMagicNotName(string fileName)
        {
            using var files = new MnistTestFiles();
            string path = files.Write(fileName, MnistTestFiles.Gzip(s_trainImages));

            IdxImages images = IdxReader.ReadImages(path);

            Assert.AreEqual(6000, images.Count);
            CollectionAssert.AreEqual(s_trainImages[16..], images.Pixels.ToArray());
        }

        [TestMethod]
        public void ReadLabels_RawAndGzip_ReadTheSameLabels()
        {
            using var files = new MnistTestFiles();
            IdxLabels raw = IdxReader.ReadLabels(files.Write("raw", s_testLabels));
            IdxLabels gz = IdxReader.ReadLabels(files.Write("gz", MnistTestFiles.Gzip(s_testLabels)));

            Assert.AreEqual(1000, raw.Count);
            Assert.AreEqual(7, raw.Values.Span[0]);
            CollectionAssert.AreEqual(s_testLabels[8..], raw.Values.ToArray());
            CollectionAssert.AreEqual(raw.Values.ToArray(), gz.Values.ToArray());
        }

        [TestMethod]
        [DataRow(false)]
        [DataRow(true)]
        public void ReadImages_UnseekableStream_Works(bool gzip)
        {
            byte[] bytes = gzip ? MnistTestFiles.Gzip(s_trainImages) : s_trainImages;
            using var stream = new UnseekableStream(new MemoryStream(bytes));

            IdxImages images = IdxReader.ReadImages(stream, "network stream");

            CollectionAssert.AreEqual(s_trainImages[16..], images.Pixels.ToArray());
        }

        [TestMethod]
        public void ReadImages_BadMagic_NamesFileAndExpectedMagic()
        {
            byte[] bytes = (byte[])s_trainImages.Clone();
            bytes[0] = 0x12;

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(bytes), "bad.idx"));

            StringAssert.Contains(e.Message, "'bad.idx'");
            StringAssert.Contains(e.Message, "not an IDX file");
            StringAssert.Contains(e.Message, "0x00000803");
        }

        [TestMethod]
        public void ReadImages_ByteSwappedHeader_SaysLittleEndian()
        {
            byte[] bytes = (byte[])s_trainImages.Clone();
            for (int field = 0; field < 4; field++)
            {
                Array.Reverse(bytes, 4 * field, 4);
            }

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(bytes), "swapped.idx"));

            StringAssert.Contains(e.Message, "'swapped.idx'");
            StringAssert.Contains(e.Message, "byte-swapped (little-endian)");
            StringAssert.Contains(e.Message, "0x03080000");
        }

        [TestMethod]
        public void ReadImages_LabelFile_SaysItIsALabelFile()
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(s_testLabels), "labels"));

            StringAssert.Contains(e.Message, "is an IDX label file (unsigned bytes, 1 dimension), magic 0x00000801 = 2049; expected an IDX image file");
        }

        [TestMethod]
        public void ReadImages_OtherIdxType_ReportsTypeAndDimensions()
        {
            byte[] bytes = (byte[])s_trainImages.Clone();
            bytes[2] = 0x0D; // float elements

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(bytes), "floats"));

            StringAssert.Contains(e.Message, "element type 0x0D and 3 dimension(s)");
        }

        [TestMethod]
        [DataRow(false)]
        [DataRow(true)]
        public void ReadImages_TruncatedBody_ReportsExpectedAndActualBytes(bool gzip)
        {
            using var files = new MnistTestFiles();
            byte[] truncated = s_trainImages[..^100];
            string path = files.Write("truncated", gzip ? MnistTestFiles.Gzip(truncated) : truncated);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "is truncated");
            StringAssert.Contains(e.Message, "6,000 images of 28 x 28");
            StringAssert.Contains(e.Message, $"{6000 * 784:N0} data bytes");
            StringAssert.Contains(e.Message, $"only {6000 * 784 - 100:N0} are present");
        }

        [TestMethod]
        [DataRow(false)]
        [DataRow(true)]
        public void ReadLabels_TrailingBytes_Rejected(bool gzip)
        {
            using var files = new MnistTestFiles();
            byte[] longer = [.. s_testLabels, 1, 2, 3];
            string path = files.Write("trailing", gzip ? MnistTestFiles.Gzip(longer) : longer);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "3 unexpected byte(s) after the 1,000 labels");
        }

        [TestMethod]
        public void ReadImages_HeaderCutShort_Rejected()
        {
            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(s_trainImages[..10]), "short"));

            StringAssert.Contains(e.Message, "inside the 16-byte header of an IDX image file");
        }

        [TestMethod]
        [DataRow(0u, 28u, 28u, "image count = 0")]
        [DataRow(5u, 5000u, 28u, "rows = 5000; expected at most 4096")]
        [DataRow(5u, 28u, 0u, "columns = 0")]
        [DataRow(3_000_000_000u, 28u, 28u, "image count = 3000000000")]
        public void ReadImages_BadDimensions_Rejected(uint count, uint rows, uint columns, string expected)
        {
            byte[] bytes = [.. MnistTestFiles.ImagesHeader(count, rows, columns), .. new byte[100]];

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(bytes), "dims"));

            StringAssert.Contains(e.Message, expected);
        }

        [TestMethod]
        [DataRow("corrupt-middle")]
        [DataRow("garbage-after-magic")]
        public void ReadImages_CorruptGzip_InvalidDataNamingFile(string kind)
        {
            using var files = new MnistTestFiles();
            byte[] gz = MnistTestFiles.Gzip(s_trainImages);
            if (kind == "corrupt-middle")
            {
                gz[gz.Length / 2] ^= 0xFF;
                gz[gz.Length / 2 + 1] ^= 0xFF;
            }
            else
            {
                gz = [0x1F, 0x8B, .. Enumerable.Range(0, 100).Select(i => (byte)(i * 37))];
            }
            string path = files.Write("train-images-idx3-ubyte.gz", gz);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "corrupt gzip data");
        }

        [TestMethod]
        public void ReadImages_MissingFile_FileNotFoundWithPath()
        {
            using var files = new MnistTestFiles();
            string path = files.PathOf("nope-idx3-ubyte");

            var e = Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.ReadImages(path));

            Assert.AreEqual(path, e.FileName);
            StringAssert.Contains(e.Message, path);
        }

        [TestMethod]
        [DataRow(false, 1_000_000_000u)]
        [DataRow(true, 1_000_000_000u)]
        [DataRow(false, 2_000_000u)]
        [DataRow(true, 2_000_000u)]
        public void ReadImages_HugeDeclaredCount_FailsWithoutAllocatingForIt(bool gzip, uint declared)
        {
            // 2,000,000 x 784 = 1.57 GB still fits one array, so this case exercises the length check (raw) and
            // the growing buffer (gzip); 10^9 x 784 exceeds any array and is rejected from the header alone.
            using var files = new MnistTestFiles();
            byte[] bytes = [.. MnistTestFiles.ImagesHeader(declared), .. s_trainImages.AsSpan(16, 1000 * 784)];
            string path = files.Write("huge", gzip ? MnistTestFiles.Gzip(bytes) : bytes);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            StringAssert.Contains(e.Message, path);
            Assert.IsLessThan(64L << 20, allocated, $"allocated {allocated:N0} bytes for a header claiming {declared:N0} images");
        }

        [TestMethod]
        public void ReadLabels_Stream_LeftOpen()
        {
            using var stream = new MemoryStream(s_testLabels);

            IdxReader.ReadLabels(stream, "labels");

            Assert.IsTrue(stream.CanRead);
            Assert.AreEqual(s_testLabels.Length, stream.Position);
        }

        [TestMethod]
        public void IdxHeader_Constants_MatchFormat()
        {
            Assert.AreEqual(2051u, IdxHeader.ImagesMagic);
            Assert.AreEqual(2049u, IdxHeader.LabelsMagic);
            Assert.AreEqual(2051u, BinaryPrimitives.ReadUInt32BigEndian(s_trainImages));
        }
    }
}
