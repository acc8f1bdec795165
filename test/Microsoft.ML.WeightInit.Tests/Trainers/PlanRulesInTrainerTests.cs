using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Microsoft.ML.WeightInit.Tests.Trainers
{
    /// <summary>
    /// A plan's path, glob and type rules given to the trainer through <see cref="InitCnnTrainer.Options.UsePlan"/> reach
    /// the deep architectures' layers (what <c>weightinit train --plan</c> does), and a rule that selects nothing is an
    /// error, as in <c>init-stats</c> and <see cref="InitializerPlan.Apply"/>. Trained with a learning rate of 1e-30, so
    /// the fitted parameters are the initial ones to far better than the checks' resolution.
    /// </summary>
    [TestClass]
    public sealed class PlanRulesInTrainerTests
    {
        [TestMethod]
        [DataRow("resnet(blocks=3, width=4)", "blocks.*.conv2.weight=zeros", "conv2.weight")]
        [DataRow("resnet(blocks=3, width=4, batch_norm=true)", "BatchNorm2d.weight=constant(val=0.25)", "bn2.weight")]
        [DataRow("plain_cnn(depth=4, width=4, batch_norm=true)", "norms.*.bias=constant(val=0.5)", "norms.1.bias")]
        [DataRow("mlp(depth=4, width=16)", "layers.1.weight=zeros", "layers.1.weight")]
        public void UsePlan_AppliesTheRules_ToTheLayersTheySelect(string architecture, string rule, string probe)
        {
            var fitted = Fit(architecture, "weight=kaiming_normal; bias=zeros; " + rule);

            var selected = fitted.Network.named_parameters().Where(p => p.name.EndsWith(probe, StringComparison.Ordinal)).ToList();
            Assert.IsNotEmpty(selected, $"no parameter ends with {probe}");
            float expected = rule.Contains("0.25", StringComparison.Ordinal) ? 0.25f : rule.Contains("0.5", StringComparison.Ordinal) ? 0.5f : 0f;
            foreach (var (name, parameter) in selected)
            {
                float[] values = parameter.data<float>().ToArray();
                Assert.IsTrue(values.All(v => Math.Abs(v - expected) < 1e-6f), $"{name}: expected every value {expected} from '{rule}', got e.g. {values[0]}");
            }
            // The rest of the plan still applies: the other weights are Kaiming draws, not the rule's constant.
            var other = fitted.Network.named_parameters().First(p => p.name.EndsWith("weight", StringComparison.Ordinal) && !p.name.EndsWith(probe, StringComparison.Ordinal)
                && p.parameter.dim() > 1);
            Assert.IsTrue(other.parameter.abs().max().item<float>() > 1e-3f, $"{other.name} should hold Kaiming draws");
        }

        [TestMethod]
        [DataRow("plain_cnn(depth=4, width=4, batch_norm=true)", "norms.99.weight=zeros")]
        [DataRow("mlp(depth=3, width=16)", "layers.29.weight=zeros")]
        [DataRow("plain_cnn(depth=4, width=4)", "norms.*.weight=zeros")]
        public void UsePlan_ARuleThatSelectsNothing_IsAnError_NamingTheRule(string architecture, string rule)
        {
            var e = Assert.ThrowsExactly<ArgumentException>(() => Fit(architecture, "weight=kaiming_normal; bias=zeros; " + rule));

            StringAssert.Contains(e.Message, rule.Split('=')[0]);
            StringAssert.Contains(e.Message, "matches no parameter");
        }

        private static InitCnnModelParameters Fit(string architecture, string plan)
        {
            var mlContext = new MLContext(seed: 0);
            var train = mlContext.Data.TakeRows(mlContext.Data.LoadMnistSample(MnistSplit.Train), 128);
            var options = new InitCnnTrainer.Options
            {
                NumberOfEpochs = 1,
                LearningRate = 1e-30,
                Architecture = NetworkArchitecture.Parse(architecture),
            }.UsePlan(InitializerPlan.Parse(plan));
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(mlContext.MulticlassClassification.Trainers.InitCnn(options)).Fit(train);
            return ((IEnumerable<ITransformer>)model).OfType<InitCnnTransformer>().Single().Model;
        }
    }
}
