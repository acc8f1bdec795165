using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Persistence
{
    /// <summary>
    /// Random bit flips in a saved model zip (1,200 mutations of 1 to 3 flipped bits, fixed seed): LoadInitCnn either
    /// throws an InvalidDataException or NotSupportedException naming the file, or loads a model whose scores are
    /// bit-identical to the original's — never different scores without an error.
    /// </summary>
    [TestClass]
    public sealed class ModelZipFuzzTests
    {
        private const int Mutations = 1200;
        private const int Side = 16;

        [TestMethod]
        public void FlippedBits_GiveAnErrorNamingTheFile_OrBitIdenticalScores()
        {
            string fixture = Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "initcnn-format2.zip");
            byte[] original = File.ReadAllBytes(fixture);
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-fuzz-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            var mlContext = new MLContext(seed: 0);
            var data = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new SmallRow { Features = Pixels(i) }).ToList());
            var expected = Scores(mlContext.Model.LoadInitCnn(fixture, out _), data);
            var random = new Random(20261201);
            int rejected = 0, identical = 0;
            var kinds = new Dictionary<string, int>();
            try
            {
                for (int m = 0; m < Mutations; m++)
                {
                    byte[] bytes = (byte[])original.Clone();
                    int flips = 1 + random.Next(3);
                    for (int f = 0; f < flips; f++)
                    {
                        int bit = random.Next(bytes.Length * 8);
                        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                    }
                    string path = Path.Combine(directory, $"mutant-{m}.zip");
                    File.WriteAllBytes(path, bytes);
                    try
                    {
                        var model = mlContext.Model.LoadInitCnn(path, out _);
                        var actual = Scores(model, data);
                        for (int i = 0; i < expected.Length; i++)
                        {
                            CollectionAssert.AreEqual(expected[i], actual[i], $"mutation {m} loaded without error but scores row {i} differently");
                        }
                        identical++;
                    }
                    catch (Exception e) when (e is InvalidDataException or NotSupportedException)
                    {
                        StringAssert.Contains(e.Message, path, $"mutation {m}: the error does not name the file");
                        rejected++;
                        string kind = e.GetType().Name;
                        kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                    }
                    catch (Exception e) when (e is not AssertFailedException)
                    {
                        Assert.Fail($"mutation {m}: {e.GetType().Name} instead of InvalidDataException naming the file: {e.Message}");
                    }
                    File.Delete(path);
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
            Console.WriteLine($"{Mutations} mutations: {rejected} rejected ({string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}), {identical} loaded with identical scores");
            Assert.AreEqual(Mutations, rejected + identical);
            Assert.IsGreaterThan(Mutations / 2, rejected, "most flips land in compressed data and must be caught");
        }

        private static float[][] Scores(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float[]>("Score").ToArray();

        private static float[] Pixels(int seed) =>
            Enumerable.Range(0, Side * Side).Select(j => ((seed * 31 + j * 17) % 97) / 97f).ToArray();

        private sealed class SmallRow
        {
            public uint Label { get; set; }

            [VectorType(Side * Side)]
            public float[] Features { get; set; } = Array.Empty<float>();
        }
    }
}
