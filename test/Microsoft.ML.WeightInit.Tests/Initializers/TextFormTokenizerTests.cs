using System;
using System.Linq;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Sweeps;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Initialization
{
    /// <summary>
    /// The one tokenizer of the text grammars (<see cref="TextFormSyntax.SplitTopLevel"/>): text forms, initializer
    /// plans, search spaces and the CLI's initializer lists split with it, so a separator inside an initializer's
    /// parentheses never splits, in any of them.
    /// </summary>
    [TestClass]
    public sealed class TextFormTokenizerTests
    {
        [TestMethod]
        public void Pieces_AreTrimmed_WithTheirOffsets_AndNestedSeparatorsStayInside()
        {
            const string Text = " weight=kaiming_uniform(a=0, mode=fan_out) ;bias=zeros; ";

            var pieces = TextFormSyntax.SplitTopLevel(Text, ";");

            CollectionAssert.AreEqual(new[] { "weight=kaiming_uniform(a=0, mode=fan_out)", "bias=zeros", "" }, pieces.Select(p => p.Text).ToArray());
            Assert.AreEqual(1, pieces[0].Start);
            Assert.AreEqual(Text.IndexOf("bias", StringComparison.Ordinal), pieces[1].Start);
        }

        [TestMethod]
        public void SeveralSeparators_AndTheFirstTopLevelIndex()
        {
            CollectionAssert.AreEqual(new[] { "xavier_uniform(gain=1)", "zeros", "normal(mean=0, std=0.01)" },
                TextFormSyntax.SplitTopLevel("xavier_uniform(gain=1), zeros; normal(mean=0, std=0.01)", ",;").Select(p => p.Text).ToArray());
            Assert.AreEqual(8, TextFormSyntax.TopLevelIndexOf("fc2.bias=constant(val=1)", '='));
            Assert.AreEqual(-1, TextFormSyntax.TopLevelIndexOf("constant(val=1)", '='));
        }

        [TestMethod]
        [DataRow("a(b(c)", '(', 1)]
        [DataRow("a)b(c)", ')', 1)]
        [DataRow("(a)(b))", ')', 6)]
        public void AnUnbalancedParenthesis_IsFoundWithItsPosition(string text, char parenthesis, int position) =>
            Assert.AreEqual((parenthesis, position), TextFormSyntax.Unbalanced(text));

        [TestMethod]
        public void TheGrammars_SplitAlike()
        {
            // A plan, a search space and a text form with the same nested commas and semicolons.
            var plan = InitializerPlan.Parse("weight=kaiming_uniform(a=0, mode=fan_out); bias=zeros");
            var space = InitializerSearchSpace.Parse("weight=kaiming_uniform(a=0..1, mode=fan_in|fan_out) | zeros; bias=zeros");

            Assert.AreEqual("kaiming_uniform(a=0, mode=fan_out, nonlinearity=leaky_relu)", plan.Weight.TextForm);
            CollectionAssert.AreEqual(new[] { "kaiming_uniform(a=0..1, mode=fan_in|fan_out)", "zeros" }, space.Weights.Select(w => w.TextForm).ToArray());
            var e = Assert.ThrowsExactly<FormatException>(() => WeightInitializer.Parse("uniform(a=(1, b=2)"));
            Assert.AreEqual("'uniform(a=(1, b=2)': unbalanced '('.", e.Message);
        }
    }
}
