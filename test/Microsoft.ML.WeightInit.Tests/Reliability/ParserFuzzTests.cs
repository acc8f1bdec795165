using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Tests.Data;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Reliability
{
    /// <summary>
    /// Mutation fuzzing of the two parsers that read user input: IDX files and initializer text forms. Every input
    /// either parses or fails with a documented exception type; no input may allocate far beyond its own size.
    /// </summary>
    [TestClass]
    public sealed class ParserFuzzTests
    {
        private const int Iterations = 3000;

        /// <summary>An IDX input may cost this many bytes of allocation beyond a few copies of itself.</summary>
        private const long AllocationSlack = 8L << 20;

        [TestMethod]
        public void IdxReader_OnThousandsOfMutatedFiles_OnlyThrowsInvalidData_WithBoundedMemory()
        {
            var images = MnistTestFiles.SampleRaw("train-images-idx3-ubyte")[..(16 + 20 * 784)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), 20); // header count: 20 images
            var labels = MnistTestFiles.SampleRaw("train-labels-idx1-ubyte")[..(8 + 20)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), 20);
            var seeds = new List<(byte[] Bytes, bool Images)>
            {
                (images, true), (MnistTestFiles.Gzip(images), true), (labels, false), (MnistTestFiles.Gzip(labels), false),
            };
            var random = new Random(20261129);
            var outcomes = new Dictionary<string, int>();
            foreach (var (seed, isImages) in seeds)
            {
                Assert.IsTrue(TryRead(seed, isImages, out _), "the unmutated seed file must parse");
            }

            for (int i = 0; i < Iterations; i++)
            {
                var (seed, isImages) = seeds[i % seeds.Count];
                byte[] input = Mutate(seed, random);
                long before = GC.GetAllocatedBytesForCurrentThread();
                bool parsed = TryRead(input, isImages, out string outcome);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                Assert.IsTrue(allocated < 4L * input.Length + AllocationSlack,
                    $"input {i} ({input.Length} bytes, {outcome}) allocated {allocated >> 20} MB");
            }
            // The mutations must reach both outcomes, or the fuzzer tests nothing.
            Assert.IsTrue(outcomes.GetValueOrDefault("parsed") > 0 && outcomes.GetValueOrDefault(nameof(InvalidDataException)) > 0,
                string.Join(", ", outcomes.Select(kv => $"{kv.Key}: {kv.Value}")));
        }

        [TestMethod]
        public void InitializerTextForm_OnThousandsOfMutatedStrings_OnlyThrowsFormatException()
        {
            var seeds = WeightInitializer.SchemeNames.Select(name => WeightInitializer.Parse(name switch { "constant" => "constant(val=0.5)", "sparse" => "sparse(sparsity=0.1)", _ => name }).TextForm)
                .Concat(new[] { "kaiming_normal(a=0, mode=fan_out, nonlinearity=relu)", "xavier_uniform(gain=1.4142135623730951)", "constant(val=-1E+300)" })
                .ToList();
            const string alphabet = "(),= ._-+eE0123456789abcxyz\t\n\"'\\[]{}∞\u0000";
            var random = new Random(7);
            int parsed = 0, rejected = 0;

            for (int i = 0; i < Iterations; i++)
            {
                var text = new StringBuilder(seeds[i % seeds.Count]);
                int edits = 1 + random.Next(4);
                for (int e = 0; e < edits; e++)
                {
                    int at = random.Next(text.Length + 1);
                    switch (random.Next(4))
                    {
                        case 0 when text.Length > 0 && at < text.Length: text.Remove(at, 1); break;
                        case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                        case 2 when at < text.Length: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                        default: text.Insert(at, new string('(', random.Next(1, 50))); break;
                    }
                }
                try
                {
                    var initializer = WeightInitializer.Parse(text.ToString());
                    Assert.AreEqual(initializer, WeightInitializer.Parse(initializer.TextForm), $"round trip of '{text}'");
                    parsed++;
                }
                catch (FormatException)
                {
                    rejected++;
                }
            }
            Assert.IsTrue(parsed > 0 && rejected > 0, $"parsed {parsed}, rejected {rejected}");
        }

        [TestMethod]
        public void InitializerPlan_OnThousandsOfMutatedStrings_OnlyThrowsFormatException_RoundTrips_WithBoundedMemory()
        {
            var seeds = new[]
            {
                "weight=kaiming_normal(a=0, mode=fan_out, nonlinearity=relu); bias=zeros; conv2.weight=orthogonal(gain=1)",
                "xavier_uniform; zero_last_layer=true", "fc1.bias=constant(val=0.1); fc2.weight=sparse(sparsity=0.5)",
                "weight=lsuv; bias=zeros; conv1.weight=eye", "weight=variance_scaling(scale=2, mode=fan_avg, distribution=uniform)",
            };
            const string alphabet = "abcwlfz_.()=,;: 01e-+\"'\t\n∞\u0000";
            var random = new Random(11);
            int parsed = 0, rejected = 0;

            for (int i = 0; i < Iterations; i++)
            {
                string text = Initialization.TextFormTests.Mutate(seeds[i % seeds.Length], random, alphabet);
                if (i % 100 == 0)
                {
                    text = string.Join("; ", Enumerable.Repeat(text, 1 + random.Next(200))); // long and repeated entries
                }
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var plan = InitializerPlan.Parse(text);
                    var again = InitializerPlan.Parse(plan.TextForm);
                    Assert.AreEqual(plan.TextForm, again.TextForm, $"round trip of '{text}'");
                    parsed++;
                }
                catch (FormatException)
                {
                    rejected++;
                }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.IsLessThan(256L * 1024 + 1000L * text.Length, allocated, $"'{text}' ({text.Length} chars) allocated {allocated:N0} bytes");
            }
            Assert.IsTrue(parsed > 0 && rejected > 0, $"parsed {parsed}, rejected {rejected}");
        }

        [TestMethod]
        public void InitializerTextForm_HugeInput_IsRejectedWithoutParsing()
        {
            var e = Assert.ThrowsExactly<FormatException>(() => WeightInitializer.Parse("constant(val=" + new string('1', 1_000_000) + ")"));

            StringAssert.Contains(e.Message, "at most");
        }

        private static bool TryRead(byte[] input, bool images, out string outcome)
        {
            try
            {
                using var stream = new MemoryStream(input, writable: false);
                if (images)
                {
                    IdxReader.ReadImages(stream, "fuzz-images");
                }
                else
                {
                    IdxReader.ReadLabels(stream, "fuzz-labels");
                }
                outcome = "parsed";
                return true;
            }
            catch (InvalidDataException e)
            {
                Assert.IsTrue(e.Message.Contains("fuzz-", StringComparison.Ordinal), $"message does not name the file: {e.Message}");
                outcome = nameof(InvalidDataException);
                return false;
            }
        }

        /// <summary>Bit flips, byte overwrites, truncation, insertion, and header fields set to extreme values.</summary>
        private static byte[] Mutate(byte[] seed, Random random)
        {
            var bytes = seed.ToList();
            int edits = 1 + random.Next(3);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(Math.Max(1, bytes.Count));
                switch (random.Next(6))
                {
                    case 0 when bytes.Count > 0:
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1 when bytes.Count > 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 2:
                        bytes.RemoveRange(random.Next(bytes.Count + 1) is var cut && cut < bytes.Count ? cut : bytes.Count, cut < bytes.Count ? bytes.Count - cut : 0);
                        break;
                    case 3:
                        bytes.InsertRange(Math.Min(at, bytes.Count), Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                        break;
                    default:
                        // A 32-bit big-endian header field (magic, count, rows, columns) set to an extreme value.
                        int field = 4 * random.Next(4);
                        uint value = random.Next(4) switch { 0 => 1_000_000_000u, 1 => uint.MaxValue, 2 => 0u, _ => (uint)random.Next() };
                        for (int b = 0; b < 4 && field + b < bytes.Count; b++)
                        {
                            bytes[field + b] = (byte)(value >> (24 - 8 * b));
                        }
                        break;
                }
            }
            return bytes.ToArray();
        }
    }
}
