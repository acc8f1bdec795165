using System;
using System.Linq;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Networks.Kernels;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.Tests.Networks
{
    /// <summary>The fused conv1 + ReLU + max-pool kernel against float64 references (forward and every gradient it
    /// computes), PyTorch's pooling tie rule, determinism, and where the trainer uses it.</summary>
    [TestClass]
    public sealed class ConvReluPoolKernelTests
    {
        private const double Tolerance = 1e-4;

        [TestInitialize]
        public void RequireVectorHardware()
        {
            if (!ConvReluPoolKernel.IsSupported)
            {
                Assert.Inconclusive("No 256-bit vector hardware: the fused kernel is not used on this machine.");
            }
        }

        [TestMethod]
        [DataRow(64, 20, 28, 28, DisplayName = "the seed net's conv1")]
        [DataRow(5, 3, 29, 27, DisplayName = "odd sizes: pooling floors, channels not a multiple of 8")]
        [DataRow(3, 17, 10, 13, DisplayName = "17 channels: three vector groups")]
        public void ForwardAndGradients_MatchFloat64(int batch, int channels, int height, int width)
        {
            using var scope = NewDisposeScope();
            using var g = new Generator(11);
            var x = randn(new long[] { batch, 1, height, width }, generator: g);
            var w = randn(new long[] { channels, 1, 5, 5 }, generator: g) * 0.2;
            var b = randn(new long[] { channels }, generator: g) * 0.1;
            var upstream = randn(new long[] { batch, channels, (height - 4) / 2, (width - 4) / 2 }, generator: g);

            var got = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: true);
            var reference = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: false);

            CollectionAssert.AreEqual(reference[0].shape, got[0].shape);
            var names = new[] { "output", "weight gradient", "bias gradient" };
            for (int i = 0; i < 3; i++)
            {
                double error = ConvolutionCheck.RelativeError(got[i], reference[i]);
                Assert.IsTrue(error <= Tolerance, $"{names[i]}: relative error {error:E2}");
            }
        }

        [TestMethod]
        public void Output_IsChannelsLastInMemory_SoConv2ReadsItWithoutACopy()
        {
            using var scope = NewDisposeScope();
            var output = ConvReluPoolFunction.Apply(randn(2, 1, 28, 28), randn(20, 1, 5, 5), randn(20));

            CollectionAssert.AreEqual(new long[] { 2, 20, 12, 12 }, output.shape);
            CollectionAssert.AreEqual(new long[] { 12 * 12 * 20, 1, 12 * 20, 20 }, output.stride());
        }

        [TestMethod]
        public void Ties_GoToTheFirstInScanOrder_AndDeadWindowsGetNoGradient_AsPyTorch()
        {
            // A constant image gives equal convolution outputs in every window: PyTorch's max-pool routes the gradient
            // to the window's first position. Channel 1 is negative everywhere (ReLU dead): no gradient at all.
            using var scope = NewDisposeScope();
            var x = ones(2, 1, 12, 12);
            var w = cat(new[] { full(1, 1, 5, 5, 0.01f), full(1, 1, 5, 5, -0.01f) });
            var b = zeros(2);
            var position = arange(2 * 2 * 4 * 4, ScalarType.Float32).reshape(2, 2, 4, 4) / 10;
            var upstream = position.clone();

            var got = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: true);
            var reference = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: false);

            Assert.AreEqual(0, ConvolutionCheck.RelativeError(got[0], reference[0]), 1e-6, "output");
            Assert.AreEqual(0, ConvolutionCheck.RelativeError(got[1], reference[1]), 1e-6, "weight gradient");
            Assert.AreEqual(0, ConvolutionCheck.RelativeError(got[2], reference[2]), 1e-6, "bias gradient");
            Assert.AreEqual(0.0, got[1][1].abs().sum().item<float>(), "the dead channel's weight got a gradient");
            Assert.AreEqual(0.0, got[2][1].item<float>(), "the dead channel's bias got a gradient");
        }

        [TestMethod]
        public void Results_AreBitIdentical_WhenRepeated_AndAt1And2Threads()
        {
            using var scope = NewDisposeScope();
            using var g = new Generator(3);
            var x = randn(new long[] { 60, 1, 28, 28 }, generator: g);
            var w = randn(new long[] { 20, 1, 5, 5 }, generator: g) * 0.2;
            var b = randn(new long[] { 20 }, generator: g) * 0.1;
            var upstream = randn(new long[] { 60, 20, 12, 12 }, generator: g);
            int threads = get_num_threads();
            try
            {
                set_num_threads(2);
                var first = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: true);
                var second = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: true);
                set_num_threads(1);
                var single = ConvReluPoolCheck.ForwardBackward(x, w, b, upstream, fused: true);

                for (int i = 0; i < 3; i++)
                {
                    Assert.IsTrue(first[i].eq(second[i]).all().item<bool>(), $"result {i} differs between two identical calls");
                    Assert.IsTrue(first[i].eq(single[i]).all().item<bool>(), $"result {i} differs between 2 threads and 1");
                }
            }
            finally
            {
                set_num_threads(threads);
            }
        }

        [TestMethod]
        public void Forward_WithoutGradient_EqualsTheTrainingForward_BitForBit()
        {
            // Evaluation and scoring run the kernel without an autograd node or pooling winners: same numbers.
            using var scope = NewDisposeScope();
            using var g = new Generator(4);
            var x = randn(new long[] { 16, 1, 28, 28 }, generator: g);
            var w = (randn(new long[] { 20, 1, 5, 5 }, generator: g) * 0.2).requires_grad_(true);
            var b = (randn(new long[] { 20 }, generator: g) * 0.1).requires_grad_(true);

            var training = ConvReluPoolFunction.Apply(x, w, b);
            Tensor evaluation;
            using (no_grad())
            {
                evaluation = ConvReluPoolFunction.Apply(x, w, b);
            }

            Assert.IsTrue(training.requires_grad);
            Assert.IsFalse(evaluation.requires_grad);
            Assert.IsTrue(training.detach().eq(evaluation).all().item<bool>(), "the no-gradient forward differs from the training forward");
        }

        [TestMethod]
        public void Check_PassesOnThisMachine_AndTheSelectionRecordsIt()
        {
            var check = ConvReluPoolCheck.Run(repeats: 1);
            Assert.IsTrue(check.Passed, check.ToString());
            Assert.IsNotNull(ConvolutionPathSelector.Current.FusedConv1);
            Assert.IsTrue(ConvolutionPathSelector.Current.UsesFusedConv1, ConvolutionPathSelector.Current.ToString());
            StringAssert.Contains(ConvolutionPathSelector.Current.ToString(), "fused conv1+ReLU+pool");
        }

        [TestMethod]
        public void Apply_RefusesAnInputThatNeedsAGradient_AndShapesItCannotCompute()
        {
            using var scope = NewDisposeScope();
            var w = randn(20, 1, 5, 5);
            var b = randn(20);
            var ex = Assert.ThrowsExactly<ArgumentException>(() => ConvReluPoolFunction.Apply(randn(2, 1, 28, 28).requires_grad_(true), w, b));
            Assert.AreEqual("input", ex.ParamName);
            Assert.ThrowsExactly<ArgumentException>(() => ConvReluPoolFunction.Apply(randn(2, 3, 28, 28), randn(20, 3, 5, 5), b));
            Assert.ThrowsExactly<ArgumentException>(() => ConvReluPoolFunction.Apply(randn(2, 1, 28, 28), randn(20, 1, 3, 3), b));
        }

        [TestMethod]
        public void WholeNet_WithTheFusedKernel_ForwardAndEveryParameterGradient_MatchFloat64OnARealBatch()
        {
            using var scope = NewDisposeScope();
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 64);
            var labels = data.Labels.narrow(0, 0, 64);
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path) { FusedConv1ReluPool = true };
            using (var g = new Generator(1))
            {
                NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.PyTorchDefault);
            }
            using var reference = new MnistCnn(ImageShape.Mnist, ConvolutionPath.Im2Col);
            Float64NetCheck.AssertForwardAndGradientsMatch(net, reference, images, labels, Tolerance, "fused net");
        }

        [TestMethod]
        public void Net_FallsBackToTheCheckedPath_WhenTheInputNeedsAGradient()
        {
            using var scope = NewDisposeScope();
            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path) { FusedConv1ReluPool = true };
            using (var g = new Generator(1))
            {
                NetworkInitializer.Initialize(net.Layers, g, InitializerPlan.PyTorchDefault);
            }
            var images = randn(4, 1, 28, 28).requires_grad_(true);

            net.forward(images).sum().backward();

            Assert.IsNotNull(images.grad, "the input gradient a caller asked for was not computed");
        }

        [TestMethod]
        public void Training_UsesTheFusedKernel_OnlyWhenNoPathIsPinned_WithTheSameInitialWeights()
        {
            using var data = SampleData.Tensors(MnistSplit.Train);
            var settings = new TrainingSettings { NumberOfEpochs = 1 };
            using var session = TrainingSession.Start(data, null, settings, null);
            Assert.AreEqual(ConvolutionPathSelector.Current.UsesFusedConv1, ((MnistCnn)session.Network).FusedConv1ReluPool);
            using var pinned = TrainingSession.Start(data, null, settings with { ConvolutionPath = ConvolutionPathSelector.Current.Path }, null);
            Assert.IsFalse(((MnistCnn)pinned.Network).FusedConv1ReluPool, "a pinned path must run as pinned");

            // The kernel only computes: the same seed gives the same initial weights, bit for bit, on either path.
            var fused = session.Network.named_parameters().ToList();
            var libtorch = pinned.Network.named_parameters().ToList();
            CollectionAssert.AreEqual(libtorch.Select(p => p.name).ToList(), fused.Select(p => p.name).ToList());
            for (int i = 0; i < fused.Count; i++)
            {
                CollectionAssert.AreEqual(libtorch[i].parameter.data<float>().ToArray(), fused[i].parameter.data<float>().ToArray(),
                    $"{fused[i].name} differs between the fused and the pinned path at initialization");
            }
        }
    }
}
