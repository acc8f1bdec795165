using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Reliability
{
    /// <summary>
    /// Errors are typed and carry the parameter or option name; callers that re-word an error read its typed reason,
    /// never another exception's message (issue 14, item 4).
    /// </summary>
    [TestClass]
    public sealed class TypedErrorTests
    {
        [TestMethod]
        public void AParameterError_KeepsItsReasonApartFromItsName()
        {
            var e = Assert.Throws<ArgumentException>(() => new XavierUniformInitializer(-1).ValidateParameters());

            Assert.AreEqual("gain", e.ParamName);
            var typed = (IParameterError)e;
            Assert.AreEqual("gain must be ≥ 0; got -1.", typed.Reason);
            Assert.AreEqual("gain must be ≥ 0; got -1. (Parameter 'gain')", e.Message, "the message users see is ML.NET's usual one");
        }

        [TestMethod]
        public void ARangeError_KeepsItsReasonApartFromItsNameAndValue()
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => SweepEvaluation.CrossValidation(1));

            Assert.AreEqual("NumberOfFolds", e.ParamName);
            Assert.AreEqual(1, e.ActualValue);
            Assert.AreEqual("Cross-validation needs 2 to 100 folds (SweepEvaluation.MaxFolds).", ((IParameterError)e).Reason);
            StringAssert.StartsWith(e.Message, "Cross-validation needs 2 to 100 folds (SweepEvaluation.MaxFolds). (Parameter 'NumberOfFolds')");
        }

        [TestMethod]
        public void ATextFormWithARejectedValue_QuotesTheTextAndTheValidatorsReason()
        {
            var e = Assert.ThrowsExactly<FormatException>(() => WeightInitializer.Parse("trunc_normal(std=0)"));

            Assert.AreEqual("Invalid initializer 'trunc_normal(std=0)': trunc_normal expects std > 0, but found std 0.", e.Message);
        }

        [TestMethod]
        public void ASearchSpaceWithAnInvalidDomain_NamesTheEntry_WithoutAParameterSuffix()
        {
            var lr = Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=zeros; lr=0..1"));
            var range = Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=zeros; momentum=0.9..0.1"));
            var domain = Assert.ThrowsExactly<FormatException>(() => InitializerSearchSpace.Parse("weight=uniform(a=1..0)"));

            Assert.AreEqual("Search space 'weight=zeros; lr=0..1': lr=0..1: every value must be > 0.", lr.Message);
            Assert.AreEqual("Search space 'weight=zeros; momentum=0.9..0.1': '0.9..0.1': a range needs finite ends with low ≤ high.", range.Message);
            Assert.AreEqual("Invalid initializer domain 'uniform(a=1..0)': parameter 'a': '1..0': a range needs finite ends with low ≤ high.", domain.Message);
            var validate = Assert.Throws<ArgumentException>(() => new InitializerSearchSpace(new[] { InitializerDomain.Parse("zeros") })
            {
                Momentum = ParameterDomain.Fixed(1.5),
            }.Validate());
            Assert.AreEqual("momentum", validate.ParamName);
        }

        [TestMethod]
        public void ARejectedTrialField_IsReportedAsItsJsonPathAndReason()
        {
            var spec = new TrialSpec(new SweepCandidate("zeros", "zeros", 0.01, 0.5, 1), 1, SweepEvaluation.Holdout(), 0, Epochs: 0);

            var rejected = SweepJson.RejectedField(spec.Validate, "spec");

            Assert.IsNotNull(rejected);
            Assert.AreEqual("spec.epochs", rejected.Value.Field);
            Assert.AreEqual("A trial trains at least 1 epoch", rejected.Value.Reason);
        }

        /// <summary>No source file reads another exception's message to take it apart or filters log text: such code
        /// breaks silently when a message is reworded (or translated).</summary>
        [TestMethod]
        public void NoSourceParsesAnExceptionMessageOrLogText()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Extensions.sln")))
            {
                root = root.Parent;
            }
            Assert.IsNotNull(root, "repository root not found");
            var parsing = new Regex(@"\.Message\s*\.\s*(Split|Contains|IndexOf|LastIndexOf|StartsWith|EndsWith|Replace|Substring|Remove)\s*\(|\.Message\s*\[|RawMessage|\(Parameter '", RegexOptions.CultureInvariant);
            var offenders = Directory.EnumerateFiles(Path.Combine(root.FullName, "src"), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(root.FullName, f), Line: i + 1, Text: line.Trim())))
                .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && parsing.IsMatch(l.Text))
                .Select(l => $"{l.File}:{l.Line}: {l.Text}")
                .ToList();

            Assert.IsEmpty(offenders, string.Join("\n", offenders));
        }
    }
}
