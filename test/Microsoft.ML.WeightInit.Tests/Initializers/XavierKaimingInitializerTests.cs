using System;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>xavier_uniform/normal and kaiming_uniform/normal: distribution, scale by fans and gain, errors.</summary>
    [TestClass]
    public sealed class XavierKaimingInitializerTests
    {
        private const double Fc1FanIn = 800, Fc1FanOut = 500;

        [TestMethod]
        [DataRow(1.0)]
        [DataRow(1.4142135623730951)]
        public void XavierUniform_IsUniformWithGlorotBound(double gain)
        {
            double bound = gain * Math.Sqrt(6 / (Fc1FanIn + Fc1FanOut));
            var initializer = new XavierUniformInitializer(gain);
            Assert.AreEqual(bound, initializer.Bound(Draws.Fc1), 1e-15);
            var values = Draws.Values(initializer, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Uniform(-bound, bound), initializer.TextForm);
            Draws.AssertWithin(values, -bound, bound, initializer.TextForm);
            Draws.AssertMoments(values, 0, bound / Math.Sqrt(3), initializer.TextForm);
        }

        [TestMethod]
        [DataRow(1.0)]
        [DataRow(1.6666666666666667)]
        public void XavierNormal_IsNormal_NotTorchSharpsUniform(double gain)
        {
            double std = gain * Math.Sqrt(2 / (Fc1FanIn + Fc1FanOut));
            var initializer = new XavierNormalInitializer(gain);
            var values = Draws.Values(initializer, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Normal(0, std), initializer.TextForm);
            KolmogorovSmirnov.AssertRejects(values, KolmogorovSmirnov.Uniform(-std * Math.Sqrt(3), std * Math.Sqrt(3)), "xavier_normal vs its uniform twin");
            Draws.AssertMoments(values, 0, std, initializer.TextForm);
        }

        [TestMethod]
        [DataRow(FanMode.FanIn, Nonlinearity.Relu, 0.0)]
        [DataRow(FanMode.FanOut, Nonlinearity.Relu, 0.0)]
        [DataRow(FanMode.FanIn, Nonlinearity.LeakyRelu, 2.23606797749979)]
        [DataRow(FanMode.FanIn, Nonlinearity.Tanh, 0.0)]
        public void KaimingUniform_IsUniformWithHeBound(FanMode mode, Nonlinearity nonlinearity, double a)
        {
            double fan = mode == FanMode.FanIn ? Fc1FanIn : Fc1FanOut;
            double bound = Gain.Calculate(nonlinearity, a) * Math.Sqrt(3 / fan);
            var initializer = new KaimingUniformInitializer(a, mode, nonlinearity);
            var values = Draws.Values(initializer, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Uniform(-bound, bound), initializer.TextForm);
            Draws.AssertWithin(values, -bound, bound, initializer.TextForm);
        }

        [TestMethod]
        [DataRow(FanMode.FanIn, Nonlinearity.Relu, 0.0)]
        [DataRow(FanMode.FanOut, Nonlinearity.Relu, 0.0)]
        [DataRow(FanMode.FanIn, Nonlinearity.LeakyRelu, 0.2)]
        public void KaimingNormal_IsNormalWithHeStd(FanMode mode, Nonlinearity nonlinearity, double a)
        {
            double fan = mode == FanMode.FanIn ? Fc1FanIn : Fc1FanOut;
            double std = Gain.Calculate(nonlinearity, a) / Math.Sqrt(fan);
            var initializer = new KaimingNormalInitializer(a, mode, nonlinearity);
            var values = Draws.Values(initializer, Draws.Fc1);
            KolmogorovSmirnov.AssertFits(values, KolmogorovSmirnov.Normal(0, std), initializer.TextForm);
            Draws.AssertMoments(values, 0, std, initializer.TextForm);
        }

        [TestMethod]
        public void Kaiming_Defaults_LeakyReluWithSlopeA()
        {
            // PyTorch passes a (default 0) to calculate_gain, so the default gain is √2, not √(2 / 1.0001).
            Assert.AreEqual(Math.Sqrt(3.0) * Math.Sqrt(2.0) / Math.Sqrt(800), new KaimingUniformInitializer().Bound(Draws.Fc1), 1e-15);
            Assert.AreEqual("kaiming_normal(a=0, mode=fan_in, nonlinearity=leaky_relu)", WeightInitializer.Parse("kaiming_normal").TextForm);
            // PyTorch's default reset: a = √5 gives U(±1/√fan_in).
            Assert.AreEqual(1 / Math.Sqrt(800), PyTorchDefaultInitializer.WeightScheme.Bound(Draws.Fc1), 1e-15);
        }

        [TestMethod]
        public void ConvolutionShape_UsesReceptiveField()
        {
            var shape = new long[] { 50, 20, 5, 5 };
            Assert.AreEqual(Math.Sqrt(2.0 / (20 * 25)), new KaimingNormalInitializer(0, FanMode.FanIn, Nonlinearity.Relu).Std(shape), 1e-15);
            Assert.AreEqual(Math.Sqrt(2.0 / (50 * 25)), new KaimingNormalInitializer(0, FanMode.FanOut, Nonlinearity.Relu).Std(shape), 1e-15);
            Assert.AreEqual(Math.Sqrt(2.0 / (20 * 25 + 50 * 25)), new XavierNormalInitializer().Std(shape), 1e-15);
        }

        [TestMethod]
        public void EmptyTensors_KaimingIsANoOp_XavierNeedsAFan()
        {
            CollectionAssertEmpty(Draws.Values(new KaimingUniformInitializer(), new long[] { 0, 5 }));
            CollectionAssertEmpty(Draws.Values(new KaimingNormalInitializer(), new long[] { 0 }));
            CollectionAssertEmpty(Draws.Values(new XavierUniformInitializer(), new long[] { 0, 5 }));
            Draws.AssertRejected(() => Draws.Fill(new XavierNormalInitializer(), new long[] { 0, 0 }), "fan_in + fan_out > 0", "'fc1.weight' has shape [0, 0]");
        }

        [TestMethod]
        public void OneDimensionalTensors_AreRejectedNamingTheParameterAndShape()
        {
            const string message = "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions";
            foreach (var initializer in new WeightInitializer[]
            {
                new XavierUniformInitializer(), new XavierNormalInitializer(), new KaimingUniformInitializer(), new KaimingNormalInitializer(),
            })
            {
                Draws.AssertRejected(() => Draws.Fill(initializer, new long[] { 500 }, "fc1", ParameterRole.Bias, Draws.Fc1),
                    message, "'fc1.bias' has shape [500]");
            }
        }

        [TestMethod]
        public void BadParameters_AreRejected()
        {
            Draws.AssertRejected(() => Draws.Fill(new XavierUniformInitializer(double.PositiveInfinity), Draws.Fc1), "gain must be a finite number");
            Draws.AssertRejected(() => Draws.Fill(new KaimingNormalInitializer(double.NaN), Draws.Fc1), "a must be a finite number");
            Draws.AssertRejected(() => Draws.Fill(new KaimingUniformInitializer(0, (FanMode)7), Draws.Fc1), "Mode 7 not supported");
            var e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("kaiming_uniform(mode=fan_avg)"));
            StringAssert.Contains(e.Message, "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']");
            e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("kaiming_normal(nonlinearity=swish)"));
            StringAssert.Contains(e.Message, "Unsupported nonlinearity swish");
            StringAssert.Contains(e.Message, "leaky_relu");
            // A negative gain makes PyTorch fail inside the draw (an empty uniform range, a negative std): here at parse.
            foreach (string text in new[] { "xavier_uniform(gain=-1)", "xavier_normal(gain=-0.5)" })
            {
                StringAssert.Contains(Assert.Throws<FormatException>(() => WeightInitializer.Parse(text)).Message, "gain must be ≥ 0", text);
            }
            Draws.AssertRejected(() => Draws.Fill(new XavierNormalInitializer(-1), Draws.Fc1), "gain must be ≥ 0; got -1");
            Assert.IsNotNull(WeightInitializer.Parse("orthogonal(gain=-1)"), "PyTorch's orthogonal_ takes a negative gain");
        }

        private static void CollectionAssertEmpty(float[] values) => Assert.IsEmpty(values);
    }
}
