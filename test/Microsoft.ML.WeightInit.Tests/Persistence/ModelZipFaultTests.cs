using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Tests.Interop;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>
    /// Model zips that are empty, truncated, not zips, damaged, or hand-made with values no trained model has: loading
    /// fails with an InvalidDataException that names the file and says what is wrong, before building any network
    /// from the bad values; nothing is written.
    /// </summary>
    [TestClass]
    public sealed class ModelZipFaultTests
    {
        private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "initcnn-format2.zip");
        private static string s_directory = null!;

        [ClassInitialize]
        public static void CreateDirectory(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-zip-faults-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
        }

        [ClassCleanup]
        public static void DeleteDirectory() => Directory.Delete(s_directory, recursive: true);

        [TestMethod]
        [DataRow("empty", "it has 0 bytes, too few for a zip archive")]
        [DataRow("text", "it has 9 bytes, too few for a zip archive")]
        [DataRow("half", "no end of central directory record ends the file")]
        [DataRow("last-byte-cut", "no end of central directory record ends the file")]
        public void ABrokenZip_IsRejected_NamingTheFileAndWhy(string damage, string why)
        {
            byte[] good = File.ReadAllBytes(Fixture);
            byte[] bytes = damage switch
            {
                "empty" => Array.Empty<byte>(),
                "text" => "not a zip"u8.ToArray(),
                "half" => good[..(good.Length / 2)],
                _ => good[..^1],
            };
            string path = Write(damage, bytes);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.LoadInitCnn(path, out _));

            StringAssert.Contains(e.Message, $"Model file '{path}' is not a zip file");
            StringAssert.Contains(e.Message, why);
            CollectionAssert.AreEqual(bytes, File.ReadAllBytes(path), "loading changed the file");
        }

        [TestMethod]
        [DataRow(0.3)]
        [DataRow(0.7)]
        public void AFlippedByte_IsRejected_AsDamaged_NamingTheFile(double where)
        {
            byte[] bytes = File.ReadAllBytes(Fixture);
            bytes[(int)(bytes.Length * where)] ^= 0x55;
            string path = Write($"flipped-{where}", bytes);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.LoadInitCnn(path, out _));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "damaged");
        }

        [TestMethod]
        public void AMissingFile_IsFileNotFound_WithThePath()
        {
            string path = Path.Combine(s_directory, "absent.zip");

            var e = Assert.ThrowsExactly<FileNotFoundException>(() => new MLContext().Model.LoadInitCnn(path, out _));

            Assert.AreEqual(path, e.FileName);
        }

        [TestMethod]
        public void AZipThatIsNotAModel_OrADirectory_IsRejected_NamingThePath()
        {
            string pt = Path.Combine(s_directory, "net.pt");
            File.WriteAllBytes(pt, StateDictFiles.Zip(StateDictFiles.MnistNet())); // a PyTorch state dict: a zip, not a model

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.LoadInitCnn(pt, out _));
            StringAssert.Contains(e.Message, pt);
            StringAssert.Contains(e.Message, "ImportInitCnn");

            var d = Assert.ThrowsExactly<FileNotFoundException>(() => new MLContext().Model.LoadInitCnn(s_directory, out _));
            StringAssert.Contains(d.Message, "is a directory");
        }

        [TestMethod]
        public void AModelWithNaNWeights_IsRejected_NamingTheParameter()
        {
            var (metadata, tensors) = SmallModel();
            tensors[5].Values[17] = float.NaN; // fc1.bias

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Restore(metadata, tensors));

            StringAssert.Contains(e.Message, "Parameter 'fc1.bias' holds NaN at flat index 17");
        }

        [TestMethod]
        public void AModelClaimingHugeImages_IsRejected_BeforeTheNetworkIsAllocated()
        {
            // 4096 × 4096 images would give fc1 500 × 52,122,050 weights: 104 GB, allocated before the old check.
            var (metadata, tensors) = SmallModel();
            metadata.Image.Height = metadata.Image.Width = 4096;
            var watch = Stopwatch.StartNew();

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Restore(metadata, tensors));

            StringAssert.Contains(e.Message, "m.onnx: initializer 'fc1.weight' is type 1 of shape [500, 50]; a model of 1 × 4096 × 4096 images and 10 classes needs float32 [500, 52122050]");
            Assert.IsLessThan(TimeSpan.FromSeconds(5), watch.Elapsed);
        }

        [TestMethod]
        [DataRow("channels", "declares images 0 × 16 × 16 with 10 classes")]
        [DataRow("classes", "declares images 1 × 16 × 16 with 1 classes")]
        [DataRow("std", "normalization mean 0.1307 and std 0")]
        [DataRow("mean", "normalization mean NaN and std 0.3081")]
        [DataRow("column", "empty column name")]
        [DataRow("labels", "9 label key values for 10 classes")]
        public void AModelWithImpossibleMetadata_IsRejected_SayingWhat(string field, string expected)
        {
            var (metadata, tensors) = SmallModel();
            switch (field)
            {
                case "channels": metadata.Image.Channels = 0; break;
                case "classes": metadata.Image.Classes = 1; break;
                case "std": metadata.Normalization.Std = 0; break;
                case "mean": metadata.Normalization.Mean = float.NaN; break;
                case "labels": metadata.LabelKeyValues = WeightInit.Scoring.LabelKeyValues.Indices(9); break;
                default: metadata.Columns.Features = ""; break;
            }

            var e = Assert.ThrowsExactly<InvalidDataException>(() => Restore(metadata, tensors));

            StringAssert.Contains(e.Message, expected);
        }

        [TestMethod]
        public void SaveAtomically_OfAModelThatCannotBeSaved_LeavesTheOldZipWhole_WhereMLNetsSaveBreaksIt()
        {
            // A disposed model fails part-way through saving (ML.NET has opened the zip): a real mid-write fault.
            var mlContext = new MLContext(seed: 0);
            var model = mlContext.Model.ImportInitCnn(new MemoryStream(StateDictFiles.Zip(StateDictFiles.MnistNet())));
            model.Dispose();
            byte[] old = File.ReadAllBytes(Fixture);
            string atomic = Write("atomic", old), inPlace = Write("in-place", old);

            Assert.ThrowsExactly<ObjectDisposedException>(() => mlContext.Model.SaveAtomically(model, null, atomic));
            Assert.Throws<Exception>(() => mlContext.Model.Save(model, null, inPlace));

            CollectionAssert.AreEqual(old, File.ReadAllBytes(atomic), "SaveAtomically changed the old zip");
            Assert.IsEmpty(Directory.GetFiles(s_directory, "*.partial"));
            CollectionAssert.AreNotEqual(old, File.ReadAllBytes(inPlace), "ML.NET's Save no longer writes in place: SaveAtomically may be unneeded");
        }

        [TestMethod]
        public void SaveAtomically_WritesAZipThatLoads()
        {
            var mlContext = new MLContext(seed: 0);
            using var model = mlContext.Model.ImportInitCnn(new MemoryStream(StateDictFiles.Zip(StateDictFiles.MnistNet())));
            string path = Write("saved", File.ReadAllBytes(Fixture));

            mlContext.Model.SaveAtomically(model, null, path);

            var loaded = mlContext.Model.LoadInitCnn(path, out _);
            Assert.IsInstanceOfType<InitCnnTransformer>(loaded);
        }

        /// <summary>Writes <paramref name="metadata"/> and <paramref name="tensors"/> as an ONNX model and reads it back
        /// as LoadInitCnn does (the checks of the reader, then the network).</summary>
        private static void Restore(ModelMetadata metadata, StoredTensor[] tensors)
        {
            var shape = new ImageShape(1, 16, 16, 10);
            var graph = OnnxGraph.Build(MnistCnn.Steps, shape, 0.1307f, 0.3081f, tensors, new GraphNames("Features", "Score", ForMLNet: true));
            var bytes = ModelSnapshot.Bytes(OnnxGraph.Model(graph, ModelSnapshot.Properties(metadata, new TrainingSettings().Initialization.TextForm), "test"));
            var contents = OnnxModelReader.Read(bytes, "m.onnx");
            using var network = NetworkState.Create(contents.Shape, contents.Tensors, ConvolutionPathSelector.Current.Path);
        }

        /// <summary>A valid 1 × 16 × 16, 10-class model's metadata and (zero) weights.</summary>
        private static (ModelMetadata Metadata, StoredTensor[] Tensors) SmallModel()
        {
            var shape = new ImageShape(1, 16, 16, 10);
            var metadata = new ModelMetadata
            {
                Image = new ImageRecord { Channels = 1, Height = 16, Width = 16, Classes = 10 },
                Normalization = new NormalizationRecord { Mean = 0.1307f, Std = 0.3081f },
                Columns = new ColumnsRecord { Features = "Features", Score = "Score", PredictedLabel = "PredictedLabel" },
                LabelKeyValues = WeightInit.Scoring.LabelKeyValues.Indices(10),
                ConvolutionPath = "Native",
            };
            var tensors = MnistCnn.ParameterShapes(shape)
                .Select(p => new StoredTensor(p.Name, p.Shape, new float[p.Shape.Aggregate(1L, (a, b) => a * b)]))
                .ToArray();
            return (metadata, tensors);
        }

        private static string Write(string name, byte[] bytes)
        {
            string path = Path.Combine(s_directory, name + ".zip");
            File.WriteAllBytes(path, bytes);
            return path;
        }
    }
}
