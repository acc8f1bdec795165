using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>Text forms: round trip of every scheme, defaults, errors listing what is valid, robustness.</summary>
    [TestClass]
    public sealed class TextFormTests
    {
        /// <summary>At least one instance of every registered scheme, most with non-default parameters.</summary>
        public static IReadOnlyList<WeightInitializer> Samples { get; } = new WeightInitializer[]
        {
            new PyTorchDefaultInitializer(), new ZerosInitializer(), new OnesInitializer(), new ConstantInitializer(0.1),
            new ConstantInitializer(double.NaN), new ConstantInitializer(-0.0), new ConstantInitializer(1e-300),
            new UniformInitializer(), new UniformInitializer(-0.5, 2), new NormalInitializer(), new NormalInitializer(0.5, 1.0 / 3),
            new TruncNormalInitializer(), new TruncNormalInitializer(0.5, 0.2, 0, 1),
            new XavierUniformInitializer(), new XavierUniformInitializer(Math.Sqrt(2)), new XavierNormalInitializer(5.0 / 3),
            new KaimingUniformInitializer(), new KaimingUniformInitializer(Math.Sqrt(5), FanMode.FanOut, Nonlinearity.Relu),
            new KaimingNormalInitializer(0.2, FanMode.FanOut, Nonlinearity.ConvTranspose2d), new KaimingNormalInitializer(),
            new OrthogonalInitializer(), new OrthogonalInitializer(1.4142135623730951), new SparseInitializer(0.1), new SparseInitializer(0.9, 0.5),
            new EyeInitializer(), new DiracInitializer(), new DiracInitializer(3),
            new VarianceScalingInitializer(), new VarianceScalingInitializer(2, VarianceScalingMode.FanAvg, VarianceScalingDistribution.Uniform),
            new VarianceScalingInitializer(0.5, VarianceScalingMode.FanOut, VarianceScalingDistribution.Normal),
            new LecunNormalInitializer(), new LecunUniformInitializer(), new LsuvInitializer(), new LsuvInitializer(0.05, 3),
        };

        [TestMethod]
        public void EveryScheme_RoundTrips()
        {
            CollectionAssert.AreEquivalent(WeightInitializer.SchemeNames.ToList(), Samples.Select(s => s.Name).Distinct().ToList(),
                "every registered scheme has a sample");
            foreach (var sample in Samples)
            {
                var parsed = WeightInitializer.Parse(sample.TextForm);
                Assert.AreEqual(sample, parsed, sample.TextForm);
                Assert.AreEqual(sample.TextForm, parsed.TextForm);
                Assert.AreEqual(sample.TextForm, sample.ToString());
            }
        }

        [TestMethod]
        public void CanonicalForm_ListsEveryParameterInPyTorchsOrder()
        {
            Assert.AreEqual("kaiming_normal(a=0, mode=fan_out, nonlinearity=relu)",
                WeightInitializer.Parse(" kaiming_normal( nonlinearity = relu , mode=fan_out ) ").TextForm);
            Assert.AreEqual("trunc_normal(mean=0, std=1, a=-2, b=2)", new TruncNormalInitializer().TextForm);
            Assert.AreEqual("lsuv(tol=0.1, max_iterations=10)", new LsuvInitializer().TextForm);
            Assert.AreEqual("xavier_uniform(gain=1.4142135623730951)", WeightInitializer.Parse("xavier_uniform(gain=1.4142135623730951)").TextForm);
        }

        [TestMethod]
        public void UnknownSchemeAndParameter_ListWhatIsValid()
        {
            var e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("glorot_uniform"));
            StringAssert.Contains(e.Message, "Unknown initializer 'glorot_uniform'");
            StringAssert.Contains(e.Message, string.Join(", ", WeightInitializer.SchemeNames));
            e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("xavier_uniform(gian=2)"));
            StringAssert.Contains(e.Message, "unknown parameter 'gian'; xavier_uniform takes: gain");
            e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("zeros(val=1)"));
            StringAssert.Contains(e.Message, "zeros takes: none");
            e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("normal(std=wide)"));
            StringAssert.Contains(e.Message, "std=wide is not a number");
            e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("normal(std=1, std=2)"));
            StringAssert.Contains(e.Message, "given twice");
            Assert.Throws<FormatException>(() => WeightInitializer.Parse(new string('a', 5000)));
            Assert.Throws<FormatException>(() => WeightInitializer.Parse(null!));
        }

        [TestMethod]
        public void Fuzz_OnlyFormatExceptions()
        {
            var random = new Random(20260101);
            var seeds = Samples.Select(s => s.TextForm).Concat(new[] { "weight=zeros; bias=ones", "" }).ToArray();
            const string alphabet = "abcdefghijklmnopqrstuvwxyz_()=,;. -+0123456789eEINaf\t\u00e9\u0000\u200b";
            for (int i = 0; i < 20_000; i++)
            {
                string text = i % 2 == 0 ? Mutate(seeds[random.Next(seeds.Length)], random, alphabet) : RandomText(random, alphabet);
                try
                {
                    WeightInitializer.Parse(text);
                }
                catch (FormatException)
                {
                }
                try
                {
                    InitializerPlan.Parse(text);
                }
                catch (FormatException)
                {
                }
            }
        }

        internal static string Mutate(string text, Random random, string alphabet)
        {
            var sb = new StringBuilder(text);
            int edits = 1 + random.Next(4);
            for (int k = 0; k < edits; k++)
            {
                int at = sb.Length == 0 ? 0 : random.Next(sb.Length);
                switch (random.Next(4))
                {
                    case 0 when sb.Length > 0:
                        sb.Remove(at, 1);
                        break;
                    case 1:
                        sb.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 2 when sb.Length > 0:
                        sb[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        sb.Insert(at, "(=,)"[random.Next(4)]);
                        break;
                }
            }
            return sb.ToString();
        }

        private static string RandomText(Random random, string alphabet) =>
            new(Enumerable.Range(0, random.Next(40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }
}
