using System;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>variance_scaling (Keras' VarianceScaling), lecun_normal, lecun_uniform.</summary>
    [TestClass]
    public sealed class VarianceScalingInitializerTests
    {
        [TestMethod]
        [DataRow(1.0, VarianceScalingMode.FanIn, 800.0)]
        [DataRow(2.0, VarianceScalingMode.FanOut, 500.0)]
        [DataRow(1.0, VarianceScalingMode.FanAvg, 650.0)]
        public void TruncatedNormal_HasStdSqrtScaleOverFan_CutAtTwoSigma(double scale, VarianceScalingMode mode, double fan)
        {
            double std = Math.Sqrt(scale / fan);
            double sigma = std / VarianceScalingInitializer.TruncatedStdCorrection;
            var initializer = new VarianceScalingInitializer(scale, mode, VarianceScalingDistribution.TruncatedNormal);
            var values = Draws.Values(initializer, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.TruncatedNormal(0, sigma, -2 * sigma, 2 * sigma), initializer.TextForm);
            Draws.AssertWithin(values, -2 * sigma, 2 * sigma, initializer.TextForm);
            Draws.AssertMoments(values, 0, std, initializer.TextForm);
            Assert.AreEqual(std, initializer.Describe(Draws.Fc1, ParameterRole.Weight, Draws.Fc1).Std, 1e-9);
        }

        [TestMethod]
        public void Normal_And_Uniform()
        {
            double std = Math.Sqrt(2.0 / 800);
            var normal = new VarianceScalingInitializer(2, VarianceScalingMode.FanIn, VarianceScalingDistribution.Normal);
            var values = Draws.Values(normal, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Normal(0, std), normal.TextForm);
            Draws.AssertMoments(values, 0, std, normal.TextForm);

            double limit = Math.Sqrt(3.0 / 650);
            var uniform = new VarianceScalingInitializer(1, VarianceScalingMode.FanAvg, VarianceScalingDistribution.Uniform);
            values = Draws.Values(uniform, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Uniform(-limit, limit), uniform.TextForm);
            Draws.AssertWithin(values, -limit, limit, uniform.TextForm);
        }

        [TestMethod]
        public void Fans_FollowKerasForEveryRank()
        {
            var fanIn = new VarianceScalingInitializer(1, VarianceScalingMode.FanIn);
            Assert.AreEqual(1.0 / (20 * 25), fanIn.Variance(new long[] { 50, 20, 5, 5 }), 1e-18);
            Assert.AreEqual(1.0 / 500, fanIn.Variance(new long[] { 500 }), 1e-18);
            Assert.AreEqual(1.0, fanIn.Variance(Array.Empty<long>()), 0);
            Assert.AreEqual(1.0, fanIn.Variance(new long[] { 5, 0 }), 0, "max(1, fan)");
        }

        [TestMethod]
        public void Lecun_DrawsExactlyAsItsVarianceScaling_ButKeepsItsName()
        {
            foreach (var (named, general) in new (WeightInitializer, WeightInitializer)[]
            {
                (new LecunNormalInitializer(), new VarianceScalingInitializer(1, VarianceScalingMode.FanIn, VarianceScalingDistribution.TruncatedNormal)),
                (new LecunUniformInitializer(), new VarianceScalingInitializer(1, VarianceScalingMode.FanIn, VarianceScalingDistribution.Uniform)),
            })
            {
                CollectionAssert.AreEqual(Draws.Values(general, new long[] { 50, 20, 5, 5 }), Draws.Values(named, new long[] { 50, 20, 5, 5 }));
                Assert.AreNotEqual<WeightInitializer>(general, named);
                Assert.AreEqual(named, WeightInitializer.Parse(named.TextForm));
            }
            Assert.AreEqual("lecun_normal", new LecunNormalInitializer().TextForm);
            Assert.AreEqual("lecun_uniform", new LecunUniformInitializer().TextForm);
            Assert.AreEqual(LecunNormalInitializer.AsVarianceScaling, WeightInitializer.Parse("variance_scaling"));
        }

        [TestMethod]
        public void TextForm_DefaultsAndKerasAlias()
        {
            Assert.AreEqual("variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal)", WeightInitializer.Parse("variance_scaling").TextForm);
            Assert.AreEqual(VarianceScalingDistribution.Normal,
                ((VarianceScalingInitializer)WeightInitializer.Parse("variance_scaling(distribution=untruncated_normal)")).Distribution);
            var e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("variance_scaling(mode=fan_sum)"));
            StringAssert.Contains(e.Message, "fan_avg");
            e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("variance_scaling(scale=0)"));
            StringAssert.Contains(e.Message, "scale");
            Draws.AssertRejected(() => Draws.Fill(new VarianceScalingInitializer(-1), Draws.Fc1), "Argument `scale` must be positive float");
        }
    }
}
