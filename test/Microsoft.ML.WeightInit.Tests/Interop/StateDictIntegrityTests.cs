using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.WeightInit.Interop;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Interop
{
    /// <summary>
    /// Damaged state dict files (issue 15): a bit flipped anywhere in a .pt must give an error naming the file, or
    /// change nothing the model holds; never other weights without an error. Finite weights that overflow float32 and
    /// a one-class head are refused at import.
    /// </summary>
    [TestClass]
    public sealed class StateDictIntegrityTests
    {
        private static string s_directory = null!;
        private static int s_threads;

        [ClassInitialize]
        public static void CreateDirectory(TestContext _)
        {
            s_directory = Path.Combine(Path.GetTempPath(), "weightinit-pt-integrity-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(s_directory);
            // Thousands of tiny forward passes: one libtorch thread (two wait on each other on a busy machine).
            TorchRuntime.EnsureInitialized();
            s_threads = TorchSharp.torch.get_num_threads();
            TorchSharp.torch.set_num_threads(1);
        }

        [ClassCleanup]
        public static void DeleteDirectory()
        {
            TorchSharp.torch.set_num_threads(s_threads);
            Directory.Delete(s_directory, recursive: true);
        }

        /// <summary>The net for 16 × 16 images (fc1 500 × 50): small enough to import a thousand times in seconds.</summary>
        private static List<StateDictParameter> SmallNet(int classes = 10, float scale = 0.1f)
        {
            var random = new Random(7);
            StateDictParameter P(string name, params long[] shape) => new(name, shape,
                Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() - 0.5) * scale).ToArray());
            return new List<StateDictParameter>
            {
                P("conv1.weight", 20, 1, 5, 5), P("conv1.bias", 20), P("conv2.weight", 50, 20, 5, 5), P("conv2.bias", 50),
                P("fc1.weight", 500, 50), P("fc1.bias", 500), P("fc2.weight", classes, 500), P("fc2.bias", classes),
            };
        }

        [TestMethod]
        [DataRow(false, DisplayName = "stored storages")]
        [DataRow(true, DisplayName = "deflated storages")]
        public void OneFlippedBitInATensor_IsRejected_NamingTheFileAndTheEntry(bool compressed)
        {
            var parameters = SmallNet();
            byte[] file = StateDictFiles.Zip(parameters, StateDictFiles.Pickle(parameters), compressStorages: compressed);
            // fc1.weight is storage 4: flip a bit in the middle of its data (its local header is found by name).
            int entry = IndexOf(file, "archive/data/4"u8.ToArray());
            int data = entry + "archive/data/4".Length + (compressed ? 40 : 20_000);
            file[data] ^= 0x10;
            string path = Write(file, "flipped.pt");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "'archive/data/4'");
        }

        [TestMethod]
        public void ALocalHeaderThatDisagreesWithTheCentralDirectory_IsRejected()
        {
            var parameters = SmallNet();
            byte[] file = StateDictFiles.Zip(parameters);
            int local = IndexOf(file, "PK\u0003\u0004"u8.ToArray(), IndexOf(file, "archive/data/1"u8.ToArray()) - 30);
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(local + 22), 40); // the size: 80 bytes in truth
            string path = Write(file, "sizes.pt");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "'archive/data/1'");
        }

        [TestMethod]
        public void FiniteWeightsThatOverflowFloat32_AreRejectedAtImport_NamingTheFileAndTheLayer()
        {
            var parameters = SmallNet();
            parameters[4] = parameters[4] with { Values = Enumerable.Repeat(3e38f, parameters[4].Values.Length).ToArray() };
            string path = Write(StateDictFiles.Zip(parameters), "huge.pt");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "fc1.weight");
        }

        [TestMethod]
        public void AOneClassStateDict_IsRejected_NamingTheFileAndFc2()
        {
            string path = Write(StateDictFiles.Zip(SmallNet(classes: 1)), "one-class.pt");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => new MLContext().Model.ImportInitCnn(path));

            StringAssert.Contains(e.Message, path);
            StringAssert.Contains(e.Message, "fc2.weight");
            StringAssert.Contains(e.Message, "at least 2");
        }

        [TestMethod]
        [DataRow(false, 1, DisplayName = "stored storages")]
        [DataRow(true, 2, DisplayName = "deflated storages")]
        public void RandomBitFlips_GiveAnErrorNamingTheFile_OrTheSameTensors(bool compressed, int seed)
        {
            var parameters = SmallNet();
            byte[] original = StateDictFiles.Zip(parameters, StateDictFiles.Pickle(parameters), compressStorages: compressed);

            var outcome = Fuzz(original, parameters.ToDictionary(p => p.Name, p => p.Values), seed, mutations: 1000);

            // Most flips land in tensor data: they must all be caught; flips in header fields nobody reads change nothing.
            Assert.IsGreaterThan(900, outcome.Rejected, $"rejected {outcome.Rejected}, identical {outcome.Identical}");
        }

        [TestMethod]
        public void RandomBitFlips_InAFileSavedByPyTorch_GiveAnErrorNamingTheFile_OrTheSameTensors()
        {
            string saved = Path.Combine(s_directory, "pytorch.pt");
            string values = Path.Combine(s_directory, "pytorch.f32");
            if (!File.Exists("/usr/bin/python3"))
            {
                Assert.Inconclusive("/usr/bin/python3 (Debian's python3-torch) is needed to write a state dict with torch.save.");
            }
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "Interop", "seed_net.py"), "make", saved, "3", values })
            {
                start.ArgumentList.Add(argument);
            }
            using (var python = Process.Start(start)!)
            {
                string errors = python.StandardError.ReadToEnd();
                python.WaitForExit();
                Assert.AreEqual(0, python.ExitCode, errors);
            }
            byte[] original = File.ReadAllBytes(saved);
            var flat = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(values)).ToArray();
            var expected = new Dictionary<string, float[]>();
            int at = 0;
            foreach (var (name, shape) in WeightInit.Networks.MnistCnn.ParameterShapes(WeightInit.Networks.ImageShape.Mnist))
            {
                int count = (int)shape.Aggregate(1L, (a, b) => a * b);
                expected[name] = flat[at..(at + count)];
                at += count;
            }

            var outcome = Fuzz(original, expected, seed: 3, mutations: 1000);

            Assert.IsGreaterThan(900, outcome.Rejected, $"rejected {outcome.Rejected}, identical {outcome.Identical}");
        }

        /// <summary>
        /// Flips 1–3 random bits per mutation: half anywhere, half in the zip's structure (local headers, the central
        /// directory and end records), where a flip is most likely to be read as something else.
        /// </summary>
        private static (int Rejected, int Identical) Fuzz(byte[] original, IReadOnlyDictionary<string, float[]> expected, int seed, int mutations)
        {
            var random = new Random(seed);
            var structure = new List<int>();
            for (int i = IndexOf(original, "PK\u0003\u0004"u8.ToArray()); i >= 0; i = IndexOf(original, "PK\u0003\u0004"u8.ToArray(), i + 1))
            {
                structure.AddRange(Enumerable.Range(i, Math.Min(96, original.Length - i)));
            }
            int directory = IndexOf(original, "PK\u0001\u0002"u8.ToArray());
            structure.AddRange(Enumerable.Range(directory, original.Length - directory));
            string path = Path.Combine(s_directory, $"fuzz-{seed}.pt");
            File.WriteAllBytes(path, original);
            var mlContext = new MLContext();
            int rejected = 0, identical = 0;
            for (int m = 0; m < mutations; m++)
            {
                int flips = random.Next(1, 4);
                var where = new List<(int Position, byte Mask)>();
                for (int f = 0; f < flips; f++)
                {
                    where.Add((m % 2 == 0 ? random.Next(original.Length) : structure[random.Next(structure.Count)], (byte)(1 << random.Next(8))));
                }
                // Flipped in place and flipped back after the import: rewriting the whole file a thousand times is slow.
                Flip(path, where);
                string mutation = $"mutation {m}: bits flipped at bytes {string.Join(", ", where.Select(w => $"{w.Position} (0x{w.Mask:x2})"))}";
                try
                {
                    using var model = mlContext.Model.ImportInitCnn(path);
                    foreach (var (name, tensor) in model.Model.StateDict())
                    {
                        CollectionAssert.AreEqual(expected[name], tensor.data<float>().ToArray(), $"{mutation}: {name} differs, and no error was raised");
                    }
                    identical++;
                }
                catch (InvalidDataException e)
                {
                    StringAssert.Contains(e.Message, path, mutation);
                    rejected++;
                }
                catch (Exception e) when (e is not AssertFailedException)
                {
                    Assert.Fail($"{mutation}: {e.GetType().Name} instead of an InvalidDataException naming the file: {e.Message}");
                }
                finally
                {
                    where.Reverse();
                    Flip(path, where);
                }
            }
            CollectionAssert.AreEqual(original, File.ReadAllBytes(path), "the file was not restored between mutations");
            return (rejected, identical);
        }

        private static void Flip(string path, IEnumerable<(int Position, byte Mask)> bits)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            foreach (var (position, mask) in bits)
            {
                file.Position = position;
                int value = file.ReadByte();
                file.Position = position;
                file.WriteByte((byte)(value ^ mask));
            }
        }

        private static string Write(byte[] bytes, string name)
        {
            string path = Path.Combine(s_directory, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from = 0)
        {
            int at = haystack.AsSpan(from).IndexOf(needle);
            return at < 0 ? -1 : from + at;
        }
    }
}
