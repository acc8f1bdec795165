using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>uniform, normal, trunc_normal: distribution (KS, α = 0.001), moments, bounds, errors.</summary>
    [TestClass]
    public sealed class UniformNormalInitializerTests
    {
        [TestMethod]
        [DataRow(0.0, 1.0)]
        [DataRow(-0.5, 2.0)]
        public void Uniform_IsUniformOnAB(double a, double b)
        {
            var values = Draws.Values(new UniformInitializer(a, b), Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Uniform(a, b), $"uniform({a}, {b})");
            Draws.AssertMoments(values, (a + b) / 2, (b - a) / Math.Sqrt(12), "uniform");
            Draws.AssertWithin(values, a, b, "uniform");
        }

        [TestMethod]
        [DataRow(0.0, 1.0)]
        [DataRow(0.5, 0.1)]
        public void Normal_IsNormal(double mean, double std)
        {
            var values = Draws.Values(new NormalInitializer(mean, std), Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Normal(mean, std), $"normal({mean}, {std})");
            Draws.AssertMoments(values, mean, std, "normal");
        }

        [TestMethod]
        public void KsTest_HasPower_UniformIsNotNormal()
        {
            var values = Draws.Values(new UniformInitializer(-Math.Sqrt(3), Math.Sqrt(3)), Draws.Fc1);
            KolmogorovSmirnov.AssertRejects(values, KolmogorovSmirnov.Normal(0, 1), "uniform with std 1 vs N(0, 1)");
        }

        [TestMethod]
        [DataRow(0.0, 1.0, -2.0, 2.0)]
        [DataRow(0.5, 0.2, 0.0, 1.0)]
        [DataRow(0.0, 0.02, -0.04, 0.04)]
        public void TruncNormal_IsTheTruncatedNormal(double mean, double std, double a, double b)
        {
            var initializer = new TruncNormalInitializer(mean, std, a, b);
            var values = Draws.Values(initializer, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.TruncatedNormal(mean, std, a, b), initializer.TextForm);
            var theory = initializer.Describe(Draws.Fc1, ParameterRole.Weight, Draws.Fc1);
            Draws.AssertMoments(values, theory.Mean, theory.Std, initializer.TextForm);
            Draws.AssertWithin(values, a, b, initializer.TextForm);
        }

        [TestMethod]
        public void TruncNormal_TheoryOfTheStandardCase()
        {
            var theory = new TruncNormalInitializer().Describe(Draws.Fc1, ParameterRole.Weight, Draws.Fc1);
            Assert.AreEqual(0, theory.Mean, 1e-15);
            Assert.AreEqual(VarianceScalingInitializer.TruncatedStdCorrection, theory.Std, 1e-12);
            Assert.AreEqual((-2.0, 2.0), (theory.Low!.Value, theory.High!.Value));
        }

        [TestMethod]
        public void Defaults_ArePyTorchs()
        {
            Assert.AreEqual("uniform(a=0, b=1)", WeightInitializer.Parse("uniform").TextForm);
            Assert.AreEqual("normal(mean=0, std=1)", WeightInitializer.Parse("normal").TextForm);
            Assert.AreEqual("trunc_normal(mean=0, std=1, a=-2, b=2)", WeightInitializer.Parse("trunc_normal").TextForm);
            Assert.AreEqual(new TruncNormalInitializer(0, 0.1, -2, 2), WeightInitializer.Parse("trunc_normal(std=0.1)"));
        }

        [TestMethod]
        public void BadParameters_AreRejectedWithPyTorchsMessages()
        {
            Draws.AssertRejected(() => Draws.Fill(new UniformInitializer(1, 0), new long[] { 10 }),
                "uniform_ expects to return a [from, to) range, but found from=1 > to=0");
            Draws.AssertRejected(() => Draws.Fill(new NormalInitializer(0, -1), new long[] { 10 }),
                "normal expects std >= 0.0, but found std -1");
            Draws.AssertRejected(() => Draws.Fill(new TruncNormalInitializer(0, 0), new long[] { 10 }), "std > 0");
            Draws.AssertRejected(() => Draws.Fill(new TruncNormalInitializer(0, 1, 1, -1), new long[] { 10 }), "a <= b");
            Draws.AssertRejected(() => Draws.Fill(new NormalInitializer(double.NaN, 1), new long[] { 10 }), "mean must be a finite number");
            foreach (string text in new[] { "uniform(a=1, b=0)", "normal(std=-1)", "trunc_normal(std=0)", "normal(mean=Infinity)" })
            {
                Assert.Throws<FormatException>(() => WeightInitializer.Parse(text), text);
            }
        }

        [TestMethod]
        public void ValuesBeyondFloat32_AreRejectedBeforeLibtorch_NamingTheTensor_ButFitFloat64()
        {
            Draws.AssertRejected(() => Draws.Fill(new UniformInitializer(-1e39, 1e39), new long[] { 10 }), "fc1.weight", "beyond its range");
            Draws.AssertRejected(() => Draws.Fill(new NormalInitializer(0, 1e39), new long[] { 10 }), "fc1.weight", "1E+39");
            Draws.AssertRejected(() => Draws.Fill(new ConstantInitializer(-1e39), new long[] { 10 }), "val=-1E+39", "Float32");
            Draws.AssertRejected(() => Draws.Fill(new XavierUniformInitializer(1e39), new long[] { 10, 10 }), "fc1.weight");

            using var wide = torch.empty(new long[] { 10 }, torch.float64);
            using var generator = new torch.Generator(1);
            new ConstantInitializer(1e39).Initialize(wide, new WeightInitContext(generator, "fc1", ParameterRole.Weight, new long[] { 10 }));
            Assert.AreEqual(1e39, wide[0].ToDouble());
        }

        [TestMethod]
        public void Normal_StdZero_IsTheMean()
        {
            var values = Draws.Values(new NormalInitializer(0.5, 0), new long[] { 7, 3 });
            Assert.IsTrue(values.All(v => v == 0.5f));
        }
    }
}
