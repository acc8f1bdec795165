using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Data
{
    [TestClass]
    public sealed class MnistDataViewTests
    {
        // From Data/Sample/README.md (and eng/BuildMnistSample.cs output).
        private static readonly int[] s_sampleTrainCounts = [592, 671, 581, 608, 623, 514, 608, 651, 551, 601];
        private static readonly int[] s_sampleTestCounts = [85, 126, 116, 107, 110, 87, 87, 99, 89, 94];

        private static readonly MLContext s_ml = new(seed: 0);

        [TestMethod]
        [DataRow(MnistSplit.Train, 6000)]
        [DataRow(MnistSplit.Test, 1000)]
        public void LoadMnistSample_Schema_LabelUInt32_Features784Single(MnistSplit split, int rows)
        {
            IDataView data = s_ml.Data.LoadMnistSample(split);

            Assert.AreEqual(2, data.Schema.Count);
            Assert.AreEqual("Label", data.Schema[0].Name);
            Assert.AreEqual(NumberDataViewType.UInt32, data.Schema["Label"].Type);
            var features = data.Schema["Features"].Type as VectorDataViewType;
            Assert.IsNotNull(features);
            Assert.AreEqual(NumberDataViewType.Single, features.ItemType);
            Assert.AreEqual(784, features.Size);
            Assert.IsTrue(features.IsKnownSize);
            Assert.AreEqual(rows, data.GetRowCount());
            Assert.IsTrue(data.CanShuffle);
        }

        [TestMethod]
        public void LoadMnistSample_Values_MatchRawFiles()
        {
            IDataView data = s_ml.Data.LoadMnistSample(MnistSplit.Train);
            byte[] images = MnistTestFiles.SampleRaw("train-images-idx3-ubyte");
            byte[] labels = MnistTestFiles.SampleRaw("train-labels-idx1-ubyte");

            using var cursor = data.GetRowCursor(data.Schema);
            var labelGetter = cursor.GetGetter<uint>(data.Schema["Label"]);
            var featuresGetter = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
            uint label = 0;
            VBuffer<float> features = default;
            int row = 0;
            while (cursor.MoveNext())
            {
                labelGetter(ref label);
                featuresGetter(ref features);
                Assert.AreEqual(labels[8 + row], label);
                Assert.IsTrue(features.IsDense);
                ReadOnlySpan<float> values = features.GetValues();
                for (int i = 0; i < 784; i++)
                {
                    Assert.AreEqual(images[16 + row * 784 + i] / 255f, values[i]);
                }
                row++;
            }
            Assert.AreEqual(6000, row);
        }

        [TestMethod]
        public void LoadMnistSample_FirstLabelsAndPixelRange()
        {
            var train = s_ml.Data.CreateEnumerable<Row>(s_ml.Data.LoadMnistSample(MnistSplit.Train), reuseRowObject: false).ToList();
            var test = s_ml.Data.CreateEnumerable<Row>(s_ml.Data.LoadMnistSample(MnistSplit.Test), reuseRowObject: false).ToList();

            Assert.AreEqual(5u, train[0].Label);
            Assert.AreEqual(7u, test[0].Label);
            Assert.AreEqual(6000, train.Count);
            Assert.AreEqual(1000, test.Count);
            float min = train.Min(r => r.Features.Min()), max = train.Max(r => r.Features.Max());
            Assert.AreEqual(0f, min);
            Assert.AreEqual(1f, max);
        }

        [TestMethod]
        [DataRow(MnistSplit.Train, "train-labels-idx1-ubyte")]
        [DataRow(MnistSplit.Test, "t10k-labels-idx1-ubyte")]
        public void LoadMnistSample_LabelCounts_EqualRawFileAndReadme(MnistSplit split, string labelsFile)
        {
            int[] fromFile = new int[10];
            foreach (byte b in MnistTestFiles.SampleRaw(labelsFile)[8..])
            {
                fromFile[b]++;
            }
            int[] fromView = new int[10];
            foreach (var row in s_ml.Data.CreateEnumerable<Row>(s_ml.Data.LoadMnistSample(split), reuseRowObject: true))
            {
                fromView[row.Label]++;
            }

            CollectionAssert.AreEqual(fromFile, fromView);
            CollectionAssert.AreEqual(split == MnistSplit.Train ? s_sampleTrainCounts : s_sampleTestCounts, fromView);
        }

        [TestMethod]
        public void RandomCursor_VisitsEveryRowExactlyOnce_InAnotherOrder()
        {
            IDataView data = s_ml.Data.LoadMnistSample(MnistSplit.Test);
            using var cursor = data.GetRowCursor([data.Schema["Label"]], new Random(42));
            var idGetter = cursor.GetIdGetter();
            var labelGetter = cursor.GetGetter<uint>(data.Schema["Label"]);
            byte[] labels = MnistTestFiles.SampleRaw("t10k-labels-idx1-ubyte");
            var ids = new List<int>();
            DataViewRowId id = default;
            uint label = 0;
            while (cursor.MoveNext())
            {
                Assert.AreEqual(ids.Count, cursor.Position);
                idGetter(ref id);
                labelGetter(ref label);
                Assert.AreEqual(labels[8 + (int)id.Low], label, "the id names the row in the file");
                ids.Add((int)id.Low);
            }

            CollectionAssert.AreEquivalent(Enumerable.Range(0, 1000).ToList(), ids);
            CollectionAssert.AreNotEqual(Enumerable.Range(0, 1000).ToList(), ids);
        }

        [TestMethod]
        public void ShuffleRows_AndMapValueToKey_WorkInAPipeline()
        {
            IDataView data = s_ml.Data.ShuffleRows(s_ml.Data.LoadMnistSample(MnistSplit.Test), seed: 1);
            var keyed = s_ml.Transforms.Conversion
                .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Fit(data).Transform(data);

            var keyType = (KeyDataViewType)keyed.Schema["Label"].Type;
            Assert.AreEqual(10ul, keyType.Count);
            var pairs = keyed.GetColumn<uint>("Label").Zip(data.GetColumn<uint>("Label")).ToList();
            Assert.AreEqual(1000, pairs.Count);
            Assert.IsTrue(pairs.All(p => p.First == p.Second + 1), "ByValue ordinality: digit d becomes key d + 1");
        }

        [TestMethod]
        public void Cursor_PositionBatchAndEnd()
        {
            using var files = new MnistTestFiles();
            IDataView data = s_ml.Data.LoadMnist(files.WriteSample(), MnistSplit.Test, maxRows: 3);
            using var cursor = data.GetRowCursor(data.Schema);
            var getter = cursor.GetGetter<uint>(data.Schema["Label"]);
            uint value = 0;

            Assert.AreEqual(-1, cursor.Position);
            Assert.AreEqual(0, cursor.Batch);
            Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref value));
            Assert.IsTrue(cursor.MoveNext());
            Assert.IsTrue(cursor.MoveNext());
            Assert.IsTrue(cursor.MoveNext());
            Assert.AreEqual(2, cursor.Position);
            Assert.IsFalse(cursor.MoveNext());
            Assert.AreEqual(-1, cursor.Position);
            Assert.IsFalse(cursor.MoveNext());
            Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref value));
            Assert.AreEqual(3, data.GetRowCount());
        }

        [TestMethod]
        public void GetGetter_WrongType_ClearError()
        {
            IDataView data = s_ml.Data.LoadMnistSample(MnistSplit.Test);
            using var cursor = data.GetRowCursor(data.Schema);

            var e = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float[]>(data.Schema["Features"]));
            StringAssert.Contains(e.Message, "'Features'");
            StringAssert.Contains(e.Message, "VBuffer<Single>");
            e = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<int>(data.Schema["Label"]));
            StringAssert.Contains(e.Message, "UInt32");
        }

        [TestMethod]
        public void GetGetter_InactiveColumn_ClearError()
        {
            IDataView data = s_ml.Data.LoadMnistSample(MnistSplit.Test);
            using var cursor = data.GetRowCursor([data.Schema["Label"]]);

            Assert.IsTrue(cursor.IsColumnActive(data.Schema["Label"]));
            Assert.IsFalse(cursor.IsColumnActive(data.Schema["Features"]));
            var e = Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]));
            StringAssert.Contains(e.Message, "not active");
        }

        [TestMethod]
        public void GetRowCursorSet_ReturnsOneCursor()
        {
            IDataView data = s_ml.Data.LoadMnistSample(MnistSplit.Test);

            var cursors = data.GetRowCursorSet(data.Schema, 4);

            Assert.HasCount(1, cursors);
            int rows = 0;
            while (cursors[0].MoveNext())
            {
                rows++;
            }
            Assert.AreEqual(1000, rows);
        }

        [TestMethod]
        public void Cursor_ReusedBuffer_NoPerRowAllocation()
        {
            IDataView data = s_ml.Data.LoadMnistSample(MnistSplit.Train);
            using var cursor = data.GetRowCursor(data.Schema);
            var features = cursor.GetGetter<VBuffer<float>>(data.Schema["Features"]);
            var label = cursor.GetGetter<uint>(data.Schema["Label"]);
            VBuffer<float> buffer = default;
            uint value = 0;
            cursor.MoveNext();
            features(ref buffer);

            long before = GC.GetAllocatedBytesForCurrentThread();
            while (cursor.MoveNext())
            {
                features(ref buffer);
                label(ref value);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.IsLessThan(10_000, allocated, $"{allocated:N0} bytes allocated over 5,999 rows");
        }

        [TestMethod]
        public void LoadMnist_GzipDirectory_SameAsSample()
        {
            using var files = new MnistTestFiles();
            string directory = files.WriteSample(gzip: true);

            IDataView data = s_ml.Data.LoadMnist(directory, MnistSplit.Train, maxRows: 100);

            Assert.AreEqual(100, data.GetRowCount());
            CollectionAssert.AreEqual(
                s_ml.Data.TakeRows(s_ml.Data.LoadMnistSample(MnistSplit.Train), 100).GetColumn<uint>("Label").ToArray(),
                data.GetColumn<uint>("Label").ToArray());
        }

        [TestMethod]
        public void LoadMnist_DottedFileNames_Accepted()
        {
            using var files = new MnistTestFiles();
            files.Write("t10k-images.idx3-ubyte", MnistTestFiles.SampleRaw("t10k-images-idx3-ubyte"));
            files.Write("t10k-labels.idx1-ubyte.gz", MnistTestFiles.Gzip(MnistTestFiles.SampleRaw("t10k-labels-idx1-ubyte")));

            Assert.AreEqual(1000, s_ml.Data.LoadMnist(files.Directory, MnistSplit.Test).GetRowCount());
        }

        [TestMethod]
        public void LoadMnist_MissingFile_ListsNamesLookedFor()
        {
            using var files = new MnistTestFiles();
            files.Write("train-images-idx3-ubyte", MnistTestFiles.SampleRaw("train-images-idx3-ubyte"));

            var e = Assert.ThrowsExactly<FileNotFoundException>(() => s_ml.Data.LoadMnist(files.Directory, MnistSplit.Train));

            StringAssert.Contains(e.Message, files.Directory);
            foreach (string name in new[] { "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz", "train-labels.idx1-ubyte", "train-labels.idx1-ubyte.gz" })
            {
                StringAssert.Contains(e.Message, name);
            }
        }

        [TestMethod]
        public void LoadMnist_MissingDirectory_DirectoryNotFound()
        {
            string missing = Path.Combine(Path.GetTempPath(), "weightinit-no-such-dir-" + Guid.NewGuid().ToString("N"));

            var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => s_ml.Data.LoadMnist(missing, MnistSplit.Test));

            StringAssert.Contains(e.Message, missing);
        }

        [TestMethod]
        public void LoadMnist_ImageAndLabelCountsDiffer_NamesBothFiles()
        {
            using var files = new MnistTestFiles();
            string images = files.Write("t10k-images-idx3-ubyte", MnistTestFiles.SampleRaw("t10k-images-idx3-ubyte"));
            string labels = files.Write("t10k-labels-idx1-ubyte", MnistTestFiles.LabelsFile(new byte[999]));

            var e = Assert.ThrowsExactly<InvalidDataException>(() => s_ml.Data.LoadMnist(files.Directory, MnistSplit.Test));

            StringAssert.Contains(e.Message, images);
            StringAssert.Contains(e.Message, labels);
            StringAssert.Contains(e.Message, "1,000 images");
            StringAssert.Contains(e.Message, "999 labels");
        }

        [TestMethod]
        public void LoadMnist_LabelOutOfRange_Rejected()
        {
            using var files = new MnistTestFiles();
            files.Write("t10k-images-idx3-ubyte", MnistTestFiles.SampleRaw("t10k-images-idx3-ubyte"));
            byte[] labelValues = new byte[1000];
            labelValues[17] = 12;
            string labels = files.Write("t10k-labels-idx1-ubyte", MnistTestFiles.LabelsFile(labelValues));

            var e = Assert.ThrowsExactly<InvalidDataException>(() => s_ml.Data.LoadMnist(files.Directory, MnistSplit.Test));

            StringAssert.Contains(e.Message, labels);
            StringAssert.Contains(e.Message, "label 12 at row 17; expected a digit 0..9");
        }

        [TestMethod]
        public void LoadMnist_BadArguments_Rejected()
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_ml.Data.LoadMnist("/tmp", MnistSplit.Test, maxRows: 0));
            Assert.ThrowsExactly<ArgumentException>(() => s_ml.Data.LoadMnist("", MnistSplit.Test));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_ml.Data.LoadMnistSample((MnistSplit)7));
        }

        private sealed class Row
        {
            public uint Label { get; set; }

            [VectorType(784)]
            public float[] Features { get; set; } = [];
        }
    }
}
