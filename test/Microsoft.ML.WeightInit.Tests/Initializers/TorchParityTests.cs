using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.WeightInit.Diagnostics;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>
    /// Parity with PyTorch 1.13 (Debian's python3-torch) through test/parity/torch_init_oracle.py: same seed, same
    /// float32 values bit for bit (orthogonal within 1e-6: LAPACK builds differ), and the cases PyTorch rejects are
    /// rejected here too, with PyTorch's message for its ValueErrors.
    /// </summary>
    [TestClass]
    public sealed class TorchParityTests
    {
        private const double OrthogonalTolerance = 1e-6;

        [ClassInitialize]
        public static void RunOracle(TestContext context) => _ = TorchOracle.Instance;

        [TestMethod]
        public void InitFunctions_SameSeed_BitwiseEqualOrSameRejection()
        {
            var oracle = TorchOracle.Require();
            var failures = new List<string>();
            var cases = oracle.OfKind("init").ToList();
            Assert.IsGreaterThan(100, cases.Count);
            foreach (var c in cases)
            {
                string? failure = Check(oracle, c);
                if (failure is not null)
                {
                    failures.Add($"{c.Describe()}: {failure}");
                }
            }
            Assert.IsEmpty(failures, $"PyTorch {oracle.TorchVersion}:\n" + string.Join("\n", failures));
        }

        [TestMethod]
        public void DefaultReset_ConvAndLinear_BitwiseEqual()
        {
            var oracle = TorchOracle.Require();
            var failures = new List<string>();
            foreach (var c in oracle.OfKind("module"))
            {
                using var generator = new torch.Generator((ulong)c.Seed);
                var reset = new PyTorchDefaultInitializer();
                using var weight = torch.empty(c.Shape);
                using var bias = torch.empty(c.Shape[0]);
                reset.Initialize(weight, new WeightInitContext(generator, c.Scheme, ParameterRole.Weight, c.Shape));
                reset.Initialize(bias, new WeightInitContext(generator, c.Scheme, ParameterRole.Bias, c.Shape));
                Compare(oracle, c, c.Tensors[0], weight, null, failures);
                Compare(oracle, c, c.Tensors[1], bias, null, failures);
            }
            Assert.IsEmpty(failures, string.Join("\n", failures));
        }

        [TestMethod]
        public void NetworkInitializer_Plans_EqualPyTorchProtocol()
        {
            var oracle = TorchOracle.Require();
            var failures = new List<string>();
            foreach (var c in oracle.OfKind("net"))
            {
                var plan = InitializerPlan.Parse(PlanText(c));
                using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Native);
                using var generator = new torch.Generator((ulong)c.Seed);
                NetworkInitializer.Initialize(net.Layers, generator, plan);
                var parameters = net.Layers.SelectMany(l => new[] { (l.LayerName + ".weight", (torch.Tensor)l.Weight), (l.LayerName + ".bias", l.Bias) });
                foreach (var ((name, tensor), expected) in parameters.Zip(c.Tensors))
                {
                    Assert.AreEqual(expected.Name, name);
                    bool approximate = plan.For(name.Split('.')[0], name.EndsWith(".weight", StringComparison.Ordinal) ? ParameterRole.Weight : ParameterRole.Bias)
                        is OrthogonalInitializer;
                    Compare(oracle, c, expected, tensor, approximate ? OrthogonalTolerance : null, failures);
                }
            }
            Assert.IsEmpty(failures, string.Join("\n", failures));
        }

        [TestMethod]
        public void MeanInitializationListing_ReplaysTheArticleSession()
        {
            var oracle = TorchOracle.Require();
            var failures = new List<string>();
            foreach (var c in oracle.OfKind("listing"))
            {
                int step = 0;
                MeanInitializationListing.Replay(c.Seed, (label, tensor) =>
                {
                    var expected = c.Tensors[step++];
                    Assert.AreEqual(expected.Name, label);
                    Compare(oracle, c, expected, tensor, label == "orthogonal" ? OrthogonalTolerance : null, failures);
                });
                Assert.AreEqual(c.Tensors.Count, step);
                var means = MeanInitializationListing.Run(c.Seed);
                foreach (var (mean, expected) in means.Zip(c.Tensors))
                {
                    Assert.AreEqual(expected.Mean, mean.Mean, 1e-6 + 1e-5 * Math.Abs(expected.Mean), $"{c.Describe()} {mean.Label}");
                }
            }
            Assert.IsEmpty(failures, string.Join("\n", failures));
        }

        [TestMethod]
        public void CalculateGain_SameTableAndRejections()
        {
            var oracle = TorchOracle.Require();
            foreach (var c in oracle.OfKind("gain"))
            {
                double? param = c.Params.Count == 0 ? null : c.Params[0].Value.GetDouble();
                if (c.Rejected)
                {
                    var e = Assert.ThrowsExactly<ArgumentException>(() => Gain.Calculate(c.Scheme, param), c.Describe());
                    StringAssert.Contains(e.Message, c.ErrorMessage!);
                    continue;
                }
                Assert.AreEqual(c.Value!.Value.GetDouble(), Gain.Calculate(c.Scheme, param), 0.0, c.Describe());
            }
        }

        [TestMethod]
        public void Fans_SameValuesAndRejections()
        {
            var oracle = TorchOracle.Require();
            foreach (var c in oracle.OfKind("fans"))
            {
                if (c.Rejected)
                {
                    var e = Assert.ThrowsExactly<ArgumentException>(() => Fans.Compute(c.Shape, "x"), c.Describe());
                    StringAssert.Contains(e.Message, c.ErrorMessage!);
                    continue;
                }
                var values = c.Value!.Value.EnumerateArray().Select(v => v.GetInt64()).ToArray();
                Assert.AreEqual((values[0], values[1]), Fans.Compute(c.Shape, "x"), c.Describe());
            }
        }

        private static string? Check(TorchOracle oracle, OracleCase c)
        {
            WeightInitializer initializer;
            try
            {
                initializer = WeightInitializer.Parse(c.TextForm);
            }
            catch (FormatException e)
            {
                return c.Rejected ? MessageCheck(c, e.Message) : "parse failed: " + e.Message;
            }
            using var tensor = torch.empty(c.Shape, torch.float32);
            using var generator = new torch.Generator((ulong)c.Seed);
            try
            {
                initializer.Initialize(tensor, WeightInitContext.ForTensor(generator, tensor, "t"));
            }
            catch (ArgumentException e)
            {
                return c.Rejected ? MessageCheck(c, e.Message) : "rejected: " + e.Message;
            }
            if (c.Rejected)
            {
                return $"accepted, but PyTorch raised {c.ErrorType}: {c.ErrorMessage}";
            }
            var failures = new List<string>();
            Compare(oracle, c, c.Tensors[0], tensor, initializer is OrthogonalInitializer ? OrthogonalTolerance : null, failures);
            return failures.Count == 0 ? null : string.Join("; ", failures);
        }

        /// <summary>PyTorch's ValueError messages must appear in ours; other errors (ATen's, ZeroDivisionError)
        /// only need a rejection.</summary>
        private static string? MessageCheck(OracleCase c, string message) =>
            c.ErrorType != "ValueError" || message.Contains(c.ErrorMessage!, StringComparison.Ordinal)
                ? null
                : $"message '{message}' does not contain PyTorch's '{c.ErrorMessage}'";

        private static void Compare(TorchOracle oracle, OracleCase c, OracleTensor expected, torch.Tensor actual, double? tolerance, List<string> failures)
        {
            if (!actual.shape.SequenceEqual(expected.Shape))
            {
                failures.Add($"{c.Describe()} {expected.Name}: shape [{string.Join(", ", actual.shape)}]");
                return;
            }
            var want = oracle.Read(expected);
            var got = TensorBytes.Values(actual);
            string? difference = tolerance is null
                ? TensorBytes.BitwiseDifference(want, got)
                : TensorBytes.ToleranceDifference(want, got, tolerance.Value);
            if (difference is not null)
            {
                failures.Add($"{c.Describe()} {expected.Name}: {difference}");
            }
        }

        private static string PlanText(OracleCase c)
        {
            var entries = c.Params.Select(p =>
            {
                var parts = p.Value.EnumerateArray().ToList();
                var arguments = parts[1].EnumerateObject().Select(o => new KeyValuePair<string, JsonElement>(o.Name, o.Value));
                return p.Key + "=" + OracleCase.FormatInitializer(parts[0].GetString()!, arguments);
            }).ToList();
            return entries.Count == 0 ? "pytorch_default" : string.Join("; ", entries);
        }
    }
}
