using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>
    /// Each scheme is written once, in its record's primary constructor: the text form's parameter names, order and
    /// defaults, the registry and the canonical form are all read from it. These tests pin that one place against
    /// PyTorch's own signatures and the documented text forms, so a renamed parameter or a changed default fails here.
    /// </summary>
    [TestClass]
    public sealed class InitializerSignatureTests
    {
        /// <summary>Every scheme with its defaults, as docs/initializers.md and PyTorch (Keras for variance_scaling) write
        /// them; constant and sparse with their required parameter given.</summary>
        private static readonly Dictionary<string, string> Canonical = new()
        {
            ["pytorch_default"] = "pytorch_default",
            ["zeros"] = "zeros",
            ["ones"] = "ones",
            ["constant(val=0.5)"] = "constant(val=0.5)",
            ["uniform"] = "uniform(a=0, b=1)",
            ["normal"] = "normal(mean=0, std=1)",
            ["trunc_normal"] = "trunc_normal(mean=0, std=1, a=-2, b=2)",
            ["xavier_uniform"] = "xavier_uniform(gain=1)",
            ["xavier_normal"] = "xavier_normal(gain=1)",
            ["kaiming_uniform"] = "kaiming_uniform(a=0, mode=fan_in, nonlinearity=leaky_relu)",
            ["kaiming_normal"] = "kaiming_normal(a=0, mode=fan_in, nonlinearity=leaky_relu)",
            ["orthogonal"] = "orthogonal(gain=1)",
            ["sparse(sparsity=0.1)"] = "sparse(sparsity=0.1, std=0.01)",
            ["eye"] = "eye",
            ["dirac"] = "dirac(groups=1)",
            ["variance_scaling"] = "variance_scaling(scale=1, mode=fan_in, distribution=truncated_normal)",
            ["lecun_normal"] = "lecun_normal",
            ["lecun_uniform"] = "lecun_uniform",
            ["lsuv"] = "lsuv(tol=0.1, max_iterations=10)",
        };

        [TestMethod]
        public void EveryScheme_ParsedWithDefaults_HasTheDocumentedCanonicalForm()
        {
            CollectionAssert.AreEquivalent(WeightInitializer.SchemeNames.ToList(),
                Canonical.Keys.Select(k => k.Split('(')[0]).ToList(), "the table covers every registered scheme");
            foreach (var (text, expected) in Canonical)
            {
                Assert.AreEqual(expected, WeightInitializer.Parse(text).TextForm, text);
            }
        }

        [TestMethod]
        public void EveryScheme_ConstructedWithCSharpDefaults_EqualsItsBareTextForm()
        {
            foreach (string name in WeightInitializer.SchemeNames)
            {
                var signature = InitializerRegistry.Signature(name)!;
                if (signature.Parameters.Any(p => !p.HasDefault))
                {
                    continue;   // constant, sparse: no default to compare
                }
                // Type.Missing takes each optional parameter's default, as the C# compiler does for `new X()`.
                var constructed = (WeightInitializer)Activator.CreateInstance(signature.Type,
                    System.Reflection.BindingFlags.OptionalParamBinding | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.CreateInstance,
                    null, Enumerable.Repeat(Type.Missing, signature.Parameters.Count).ToArray(), CultureInfo.InvariantCulture)!;

                Assert.AreEqual(WeightInitializer.Parse(name), constructed, name);
                Assert.AreEqual(name, constructed.Name, "SchemeName, Name and the registry agree");
            }
        }

        [TestMethod]
        public void RequiredParameters_AreTheConstructorsParametersWithoutADefault()
        {
            Assert.AreEqual("val", InitializerRegistry.Signature("constant")!.Parameters.Single(p => !p.HasDefault).TextName);
            Assert.AreEqual("sparsity", InitializerRegistry.Signature("sparse")!.Parameters.Single(p => !p.HasDefault).TextName);
            var e = Assert.Throws<FormatException>(() => WeightInitializer.Parse("constant"));
            StringAssert.Contains(e.Message, "parameter 'val' is required");
        }

        [TestMethod]
        [DataRow("MaxIterations", "max_iterations")]
        [DataRow("A", "a")]
        [DataRow("Nonlinearity", "nonlinearity")]
        public void ParameterNames_AreSnakeCase(string csharp, string text) =>
            Assert.AreEqual(text, InitializerSignature.SnakeCase(csharp));

        [TestMethod]
        public void ARecordOutsideTheRegistry_GetsItsTextFormFromItsConstructor()
        {
            var scaled = new ScaledUniform(UpperBound: 3);

            Assert.AreEqual("scaled_uniform(lower_bound=-1, upper_bound=3, mode=fan_out)", scaled.TextForm);
        }

        /// <summary>
        /// The schemes PyTorch has, against <c>inspect.signature(torch.nn.init.NAME_)</c> of Debian's PyTorch 1.13:
        /// the same parameter names in the same order, the same defaults, and the same required parameters.
        /// </summary>
        [TestMethod]
        public void SchemesOfTorchNnInit_TakePyTorchsParameterNamesOrderAndDefaults()
        {
            var pyTorch = PyTorchSignatures();
            int compared = 0;
            foreach (string name in WeightInitializer.SchemeNames.Where(pyTorch.ContainsKey))
            {
                var ours = InitializerRegistry.Signature(name)!.Parameters;
                var theirs = pyTorch[name];
                CollectionAssert.AreEqual(theirs.Select(p => p.Name).ToList(), ours.Select(p => p.TextName).ToList(), name);
                for (int i = 0; i < ours.Count; i++)
                {
                    Assert.AreEqual(theirs[i].Default is not null, ours[i].HasDefault, $"{name}: {ours[i].TextName} has a default in one and not the other");
                    if (theirs[i].Default is { } d)
                    {
                        Assert.AreEqual(d, TextFormSyntax.FormatValue(ours[i].DefaultValue!), $"{name}: default of {ours[i].TextName}");
                    }
                }
                compared++;
            }
            Assert.AreEqual(14, compared, "zeros, ones, constant, uniform, normal, trunc_normal, xavier_*, kaiming_*, orthogonal, sparse, eye, dirac");
        }

        /// <summary>Parameter names and defaults (invariant text; null when required) of torch.nn.init's schemes.</summary>
        private static Dictionary<string, List<(string Name, string? Default)>> PyTorchSignatures()
        {
            if (!File.Exists(TorchOracle.Python))
            {
                Assert.Inconclusive($"{TorchOracle.Python} does not exist (install Debian's python3-torch).");
            }
            const string Script = """
                import inspect, json, torch.nn.init as init
                out = {}
                for name in ['zeros', 'ones', 'constant', 'uniform', 'normal', 'trunc_normal', 'xavier_uniform', 'xavier_normal',
                             'kaiming_uniform', 'kaiming_normal', 'orthogonal', 'sparse', 'eye', 'dirac']:
                    params = list(inspect.signature(getattr(init, name + '_')).parameters.values())[1:]
                    out[name] = [[p.name, None if p.default is inspect.Parameter.empty else repr(p.default)]
                                 for p in params if p.name != 'generator']
                print(json.dumps(out))
                """;
            var start = new ProcessStartInfo(TorchOracle.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string json = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Assert.Inconclusive($"{TorchOracle.Python} cannot read torch.nn.init's signatures: {stderr.Result}");
            }
            var result = new Dictionary<string, List<(string, string?)>>();
            foreach (var scheme in JsonDocument.Parse(json).RootElement.EnumerateObject())
            {
                result[scheme.Name] = scheme.Value.EnumerateArray()
                    .Select(p => (p[0].GetString()!, p[1].GetString() is { } d ? PythonValue(d) : null)).ToList();
            }
            return result;
        }

        /// <summary>A Python default's repr as text forms write it: 'fan_in' → fan_in, 0.0 → 0, 1.0 → 1.</summary>
        private static string PythonValue(string repr) =>
            repr.StartsWith('\'') ? repr.Trim('\'')
            : TextFormSyntax.FormatValue(double.Parse(repr, NumberStyles.Float, CultureInfo.InvariantCulture));

        /// <summary>A user's scheme: no registry entry, no Parameters override.</summary>
        private sealed record ScaledUniform(double LowerBound = -1, double UpperBound = 1, FanMode Mode = FanMode.FanOut) : WeightInitializer
        {
            public override string Name => "scaled_uniform";

            public override void Initialize(torch.Tensor tensor, WeightInitContext context) => FillUniform(tensor, LowerBound, UpperBound, context);
        }
    }
}
