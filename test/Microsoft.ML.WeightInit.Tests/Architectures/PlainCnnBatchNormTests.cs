using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Tests.Networks;
using Microsoft.ML.WeightInit.Training;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

using static Microsoft.ML.WeightInit.Tests.ChildProcess;

namespace Microsoft.ML.WeightInit.Tests.Architectures
{
    /// <summary>
    /// <c>plain_cnn(…, batch_norm=true)</c>: PyTorch's names, shapes and reset; train mode updates the running
    /// statistics and eval mode uses them; a train-mode step and an eval forward against PyTorch 1.13
    /// (test/parity/plain_cnn_bn.py); plans address the batch normalizations only by rules that name them; LSUV
    /// calibrates the convolutions; the running statistics survive a model zip written by another process.
    /// </summary>
    [TestClass]
    public sealed class PlainCnnBatchNormTests
    {

        private static readonly NetworkArchitecture Small = NetworkArchitecture.Parse("plain_cnn(depth=5, width=4, batch_norm=true)");

        [TestMethod]
        public void Network_PutsNormsIAfterConvolutionI_WithPyTorchsNamesShapesAndReset()
        {
            using var net = Small.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);

            var state = net.state_dict();
            var expected = Small.ParameterShapes(ImageShape.Mnist);
            CollectionAssert.AreEqual(expected.Select(p => p.Name).ToArray(), state.Keys.ToArray(), "ParameterShapes is the state dict, in its order");
            Assert.IsTrue(expected.All(p => p.Shape.SequenceEqual(state[p.Name].shape)));
            CollectionAssert.AreEqual(new[] { "norms.0", "norms.1", "norms.2", "norms.3" }, net.Norms.Select(n => n.LayerName).ToArray());
            CollectionAssert.AreEqual(new[] { "layers.0", "layers.1", "layers.2", "layers.3", "layers.4" }, net.Layers.Select(l => l.LayerName).ToArray());
            // 4 convolutions in stages 2, 1, 1 of 4, 8, 16 channels.
            CollectionAssert.AreEqual(new long[] { 8 }, state["norms.2.running_var"].shape);
            CollectionAssert.AreEqual(Array.Empty<long>(), state["norms.3.num_batches_tracked"].shape);
            Assert.AreEqual(ScalarType.Int64, state["norms.0.num_batches_tracked"].dtype);
            foreach (var norm in net.Norms)
            {
                Assert.AreEqual(1f, norm.Weight.min().item<float>());
                Assert.AreEqual(1f, norm.Weight.max().item<float>());
                Assert.AreEqual(0f, norm.Bias.abs().max().item<float>());
                Assert.AreEqual(0f, norm.RunningMean.abs().max().item<float>());
                Assert.AreEqual(1f, norm.RunningVar.min().item<float>());
                Assert.AreEqual(1f, norm.RunningVar.max().item<float>());
                Assert.AreEqual(0L, norm.NumBatchesTracked.item<long>());
            }
            var kinds = Small.Steps(ImageShape.Mnist).Select(s => s.Kind).ToList();
            CollectionAssert.AreEqual(new[]
            {
                LayerKind.Convolution, LayerKind.BatchNormalization, LayerKind.Relu,
                LayerKind.Convolution, LayerKind.BatchNormalization, LayerKind.Relu, LayerKind.MaxPool,
                LayerKind.Convolution, LayerKind.BatchNormalization, LayerKind.Relu, LayerKind.MaxPool,
                LayerKind.Convolution, LayerKind.BatchNormalization, LayerKind.Relu,
                LayerKind.GlobalAveragePool, LayerKind.Flatten, LayerKind.Linear,
            }, kinds);
            Assert.AreEqual("norms.2", Small.Steps(ImageShape.Mnist)[8].Parameter);

            // batch_norm=false: the network of the release without batch normalization.
            var plainArchitecture = NetworkArchitecture.PlainCnn(5, 4);
            using var plain = plainArchitecture.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            Assert.AreEqual(0, plain.Norms.Count);
            Assert.AreEqual(10, plain.state_dict().Count);
            Assert.IsFalse(plain.state_dict().Keys.Any(k => k.StartsWith("norms", StringComparison.Ordinal)));
            Assert.IsFalse(plainArchitecture.Steps(ImageShape.Mnist).Any(s => s.Kind == LayerKind.BatchNormalization));
        }

        [TestMethod]
        public void TrainMode_UpdatesTheRunningStatistics_EvalModeAndTheDiagnosticPassDoNot()
        {
            using var scope = NewDisposeScope();
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 32);
            using var net = Small.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var g = new Generator(5);
            NetworkInitializer.Initialize(net, g, InitializerPlan.Parse("weight=kaiming_normal; bias=normal(std=0.1)"), null);
            var norm = net.Norms[0];

            net.train();
            Assert.IsTrue(net.Norms.All(n => n.training));
            var outputs = net.ForwardWithLayerOutputs(images);
            Assert.AreEqual(0L, norm.NumBatchesTracked.item<long>(), "the diagnostic pass is no training step");
            Assert.AreEqual(0f, norm.RunningMean.abs().max().item<float>());

            var conv0 = outputs[0].detach().to(ScalarType.Float64);
            var trainOutput = net.forward(images);
            Assert.AreEqual(1L, norm.NumBatchesTracked.item<long>());
            // PyTorch's update: running = 0.9 · running + 0.1 · batch statistic (the variance unbiased).
            var mean = conv0.mean(new long[] { 0, 2, 3 });
            var variance = conv0.var(new long[] { 0, 2, 3 }, unbiased: true);
            Assert.IsTrue(ConvolutionCheck.RelativeError(norm.RunningMean, 0.1 * mean) < 1e-5, "running_mean");
            Assert.IsTrue(ConvolutionCheck.RelativeError(norm.RunningVar, 0.9 + 0.1 * variance) < 1e-5, "running_var");
            Assert.AreEqual(0, ConvolutionCheck.RelativeError(outputs[^1].detach(), trainOutput.detach().to(ScalarType.Float64)), 1e-6,
                "the diagnostic pass normalizes with the batch statistics, as forward");

            net.eval();
            Assert.IsTrue(net.Norms.All(n => !n.training));
            var before = norm.RunningMean.clone();
            Tensor evalOutput;
            using (no_grad())
            {
                evalOutput = net.forward(images);
            }
            Assert.AreEqual(1L, norm.NumBatchesTracked.item<long>());
            Assert.AreEqual(0, ConvolutionCheck.RelativeError(norm.RunningMean, before.to(ScalarType.Float64)));
            // Eval mode uses the running statistics: (x − mean) / √(var + ε) · w + b on the first convolution's output.
            var expected = (conv0 - norm.RunningMean.to(ScalarType.Float64).reshape(1, -1, 1, 1))
                / (norm.RunningVar.to(ScalarType.Float64).reshape(1, -1, 1, 1) + BatchNorm2dLayer.Epsilon).sqrt();
            using (no_grad())
            {
                var normalized = norm.forward(conv0.to(ScalarType.Float32));
                Assert.IsTrue(ConvolutionCheck.RelativeError(normalized, expected) < 1e-5, "eval mode normalizes with the running statistics");
            }
            Assert.IsTrue(ConvolutionCheck.RelativeError(evalOutput, trainOutput.detach().to(ScalarType.Float64)) > 1e-3,
                "eval and train mode differ after one batch");
        }

        /// <summary>One train-mode forward and backward, the running statistics, one SGD step and an eval-mode forward, on
        /// the same weights in PyTorch 1.13 (test/parity/plain_cnn_bn.py builds the net from the documented layout). In
        /// float64 both sides compute the same functions: every value within 1e-9 of PyTorch's (relative to the largest
        /// |value| of the tensor; measured 1.4e-13). In float32 the two convolution kernels round differently, and train-mode
        /// batch normalization on MNIST magnifies that rounding (a constant background gives the first convolution's
        /// channels a small spread): measured 3.3e-5 in one run and 1.14e-4 in a CI run (the gradient of norms.0.weight; the
        /// selected path's summation order depends on the threads), while each side alone is 1.4e-4–2.5e-4 from float64 on
        /// such batches — within 1e-3, far below what a wrong normalization, statistic or gradient gives (order 1). The convolutions' bias gradients, zero in exact arithmetic under batch normalization, are
        /// compared on the scale of the network's largest gradient.</summary>
        [TestMethod]
        [DataRow("float64", 1e-9)]
        [DataRow("float32", 1e-3)]
        public void TrainStepRunningStatisticsAndEvalForward_MatchPyTorch113(string dtype, double tolerance)
        {
            RequirePyTorch();
            using var scope = NewDisposeScope();
            using var data = SampleData.Tensors(MnistSplit.Train);
            const int N = 16, N2 = 8;
            var x = data.Features.narrow(0, 0, N).contiguous();
            var y = data.Labels.narrow(0, 0, N).contiguous();
            var x2 = data.Features.narrow(0, N, N2).contiguous();
            bool float64 = dtype == "float64";
            using var net = Small.Build(ImageShape.Mnist, float64 ? ConvolutionPath.Im2Col : ConvolutionPathSelector.Current.Path);
            using (var g = new Generator(7))
            {
                NetworkInitializer.Initialize(net, g, InitializerPlan.Parse(
                    "weight=kaiming_normal; bias=normal(std=0.1); norms.*.weight=uniform(a=0.5, b=1.5); norms.*.bias=normal(std=0.1)"), null);
            }
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-bn-torch-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                string state = Path.Combine(directory, "state.pt");
                using (var stream = File.Create(state))
                {
                    PyTorchPickler.PickleStateDict(stream, net.state_dict(), leaveOpen: true);
                }
                File.WriteAllBytes(Path.Combine(directory, "x.f32"), MemoryMarshal.AsBytes(x.data<float>().ToArray().AsSpan()).ToArray());
                File.WriteAllBytes(Path.Combine(directory, "y.i64"), MemoryMarshal.AsBytes(y.data<long>().ToArray().AsSpan()).ToArray());
                File.WriteAllBytes(Path.Combine(directory, "x2.f32"), MemoryMarshal.AsBytes(x2.data<float>().ToArray().AsSpan()).ToArray());
                string script = Path.Combine(AppContext.BaseDirectory, "parity", "plain_cnn_bn.py");
                var result = Run(Python, script, Small.Depth.ToString(CultureInfo.InvariantCulture), Small.Width.ToString(CultureInfo.InvariantCulture), dtype,
                    state, Path.Combine(directory, "x.f32"), Path.Combine(directory, "y.i64"), N.ToString(CultureInfo.InvariantCulture),
                    Path.Combine(directory, "x2.f32"), N2.ToString(CultureInfo.InvariantCulture), directory);
                Assert.AreEqual(0, result.ExitCode, result.Output);
                Tensor Torch(string name) => tensor(MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(Path.Combine(directory, name + ".f64"))).ToArray());
                if (float64)
                {
                    net.to(ScalarType.Float64);
                    x = x.to(ScalarType.Float64);
                    x2 = x2.to(ScalarType.Float64);
                }
                double worst = 0;
                void Check(Tensor got, string name, double scale, string what) =>
                    worst = Math.Max(worst, AssertClose(got, Torch(name), scale, tolerance, $"{dtype}: {what}"));

                net.train();
                var output = net.forward(x);
                F.nll_loss(output, y).backward();
                Check(output, "train_out", 0, "train-mode log-probabilities");
                var gradients = net.named_parameters().ToList();
                double scale = gradients.Max(p => Torch("grad." + p.name).abs().max().item<double>());
                var cancelled = Enumerable.Range(0, Small.Depth - 1).Select(i => $"layers.{i}.bias").ToHashSet();
                foreach (var (name, parameter) in gradients)
                {
                    Check(parameter.grad!, "grad." + name, cancelled.Contains(name) ? scale : 0, $"gradient of {name}");
                }
                foreach (var (name, buffer) in net.named_buffers())
                {
                    Check(buffer, name, 0, $"{name} after the forward");
                }

                using (var sgd = optim.SGD(net.parameters(), 0.1, momentum: 0.5))
                {
                    sgd.step();
                }
                net.eval();
                using (no_grad())
                {
                    Check(net.forward(x2), "eval_out", 0, "eval-mode log-probabilities after the step");
                }
                foreach (var (name, value) in net.state_dict())
                {
                    Check(value, "after." + name, 0, $"{name} after the step");
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{dtype}: largest relative difference from PyTorch 1.13: {worst:E2}"));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        [TestMethod]
        public void Plans_ReachBatchNormByExactGlobAndTypeRules_ThePlanWideWeightAndBiasLeaveItAtTheReset()
        {
            using var net = Small.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            float[] Values(Tensor t) => t.detach().data<float>().ToArray();

            // Plan-wide only: Kaiming convolutions, normal biases, batch normalization untouched (1 / 0).
            using (var g = new Generator(3))
            {
                NetworkInitializer.Initialize(net, g, InitializerPlan.Parse("weight=kaiming_normal; bias=normal(std=0.1)"), null);
            }
            Assert.IsTrue(net.Norms.All(n => Values(n.Weight).All(v => v == 1) && Values(n.Bias).All(v => v == 0)));
            Assert.IsTrue(net.Layers[0].Bias.abs().max().item<float>() > 0, "the plan-wide bias reached the convolutions");
            var convolutionWeights = net.Layers.Select(l => Values(l.Weight)).ToList();

            // exact > glob > type, as for the other layers; the rules draw after every Conv2d/Linear draw.
            var plan = InitializerPlan.Parse("weight=kaiming_normal; bias=normal(std=0.1); BatchNorm2d.weight=constant(val=2); " +
                "norms.*.weight=uniform(a=0.5, b=1.5); norms.3.weight=constant(val=0.5); BatchNorm2d.bias=constant(val=0.25); norms.1.bias=zeros");
            using (var g = new Generator(3))
            {
                NetworkInitializer.Initialize(net, g, plan, null);
            }
            for (int i = 0; i < net.Layers.Count; i++)
            {
                CollectionAssert.AreEqual(convolutionWeights[i], Values(net.Layers[i].Weight), $"layers.{i}.weight: same draws as without the rules");
            }
            for (int i = 0; i < 3; i++)
            {
                var w = Values(net.Norms[i].Weight);
                Assert.IsTrue(w.All(v => v >= 0.5f && v <= 1.5f) && w.Distinct().Count() > 1, $"norms.{i}.weight: the glob beats the type rule");
            }
            Assert.IsTrue(Values(net.Norms[3].Weight).All(v => v == 0.5f), "the exact path beats the glob");
            Assert.IsTrue(Values(net.Norms[1].Bias).All(v => v == 0f), "the exact path beats the type rule");
            Assert.IsTrue(new[] { 0, 2, 3 }.All(i => Values(net.Norms[i].Bias).All(v => v == 0.25f)), "the type rule beats the reset");

            // A rule that only matches batch normalization is accepted; one that matches nothing is still an error.
            using (var g = new Generator(3))
            {
                NetworkInitializer.Initialize(net, g, InitializerPlan.Parse("BatchNorm2d.weight=constant(val=3); norms.*.bias=constant(val=-1)"), null);
            }
            Assert.IsTrue(net.Norms.All(n => Values(n.Weight).All(v => v == 3) && Values(n.Bias).All(v => v == -1)));
            foreach (string nothing in new[] { "norms.9.weight=zeros", "BatchNorm1d.weight=ones", "norms.*.running_mean=zeros" })
            {
                var e = Assert.ThrowsExactly<ArgumentException>(() => NetworkInitializer.Initialize(net, new Generator(1), InitializerPlan.Parse(nothing), null));
                StringAssert.Contains(e.Message, nothing.Split('=')[0]);
                StringAssert.Contains(e.Message, "BatchNorm2d"); // the types of the network
            }
            using var plain = NetworkArchitecture.PlainCnn(5, 4).Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            Assert.ThrowsExactly<ArgumentException>(() => NetworkInitializer.Initialize(plain, new Generator(1), InitializerPlan.Parse("norms.*.bias=zeros"), null)); // without batch_norm there is no norms.*
            var lsuv = Assert.ThrowsExactly<ArgumentException>(() => NetworkInitializer.Initialize(net, new Generator(1), InitializerPlan.Parse("BatchNorm2d.weight=lsuv"), null));
            StringAssert.Contains(lsuv.Message, "norms.0");
        }

        /// <summary>
        /// Forward and every parameter gradient in train mode against a float64 copy (<see cref="Float64NetCheck"/>), on the
        /// selected convolution path, on a batch of standard-normal images. On real MNIST images batch normalization
        /// amplifies float32 rounding: the first convolution's output is nearly constant over the background, so its
        /// normalization divides rounding errors of size ~ |mean| by a small std, and the gradients (sums whose terms
        /// cancel) lose digits. Measured on <c>plain_cnn(depth=6, width=8, batch_norm=true)</c> (Kaiming convolutions, BN at
        /// its reset) and 32 sample images:
        /// 2.5e-4 with im2col (PyTorch 1.13's own float32 CPU kernels: 1.4–2.5e-4 on the same kind of net and batch) and
        /// 5.9e-3 with ChannelsLast, whose per-element rounding is larger; on standard-normal images 5e-6 and 2.2e-5. So
        /// the real batch is checked on im2col at 1e-3, the normal batch on the selected path at the usual 1e-4.
        /// </summary>
        [TestMethod]
        [DataRow("plain_cnn(depth=6, width=8, activation=relu, batch_norm=true)")]
        [DataRow("plain_cnn(depth=4, width=4, activation=tanh, batch_norm=true)")]
        public void TrainModeForwardAndEveryGradient_MatchFloat64(string text)
        {
            using var scope = NewDisposeScope();
            var architecture = NetworkArchitecture.Parse(text);
            using var data = SampleData.Tensors(MnistSplit.Train);
            var labels = data.Labels.narrow(0, 0, 32);
            using var g = new Generator(11);
            var batches = new[]
            {
                (Images: randn(new long[] { 32, 1, 28, 28 }, generator: g), Path: ConvolutionPathSelector.Current.Path, Tolerance: 1e-4, What: "standard-normal images"),
                (Images: data.Features.narrow(0, 0, 32), Path: ConvolutionPath.Im2Col, Tolerance: 1e-3, What: "MNIST images"),
            };
            foreach (var (images, path, tolerance, what) in batches)
            {
                using var net = architecture.Build(ImageShape.Mnist, path);
                using (var init = new Generator(1))
                {
                    NetworkInitializer.Initialize(net, init, InitializerPlan.Parse(
                        "weight=kaiming_normal; bias=normal(std=0.1); norms.*.weight=uniform(a=0.5, b=1.5); norms.*.bias=normal(std=0.1)"), null);
                }
                using var reference = architecture.Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
                Float64NetCheck.AssertForwardAndGradientsMatch(net, reference, images, labels, tolerance, $"{text}, {what}, {path}");
            }
        }

        [TestMethod]
        public void Lsuv_OnABatchNormNet_CalibratesEveryConvolutionAndTheClassifier_AndLeavesTheRunningStatisticsAtTheReset()
        {
            using var data = SampleData.Tensors(MnistSplit.Train);
            var images = data.Features.narrow(0, 0, 64);
            using var net = NetworkArchitecture.Parse("plain_cnn(depth=6, width=8, batch_norm=true)").Build(ImageShape.Mnist, ConvolutionPath.Im2Col);
            using var g = new Generator(1);

            var calibrations = NetworkInitializer.Initialize(net, g, InitializerPlan.Parse("weight=lsuv; bias=zeros"), images);

            Assert.AreEqual(6, calibrations.Count);
            Assert.IsTrue(calibrations.All(c => Math.Abs(c.FinalVariance - 1) < 0.1), string.Join("; ", calibrations));
            Assert.IsTrue(net.Norms.All(n => n.NumBatchesTracked.item<long>() == 0 && n.RunningMean.abs().max().item<float>() == 0),
                "the calibration passes are no training steps");
        }

        /// <summary>Another process (<c>weightinit train --arch … --save-model</c>) trains one epoch of the bundled sample
        /// and saves the model; here it loads with its running statistics: one count per SGD step (the end-of-epoch probe
        /// and validation run in eval mode), statistics away from the reset, equal to those of the ONNX file the same
        /// process exported, and the restored network's eval-mode validation loss equals the one the training process
        /// recorded.</summary>
        [TestMethod]
        [Timeout(600_000)]
        public void ModelZipFromAnotherProcess_KeepsTheRunningStatistics()
        {
            string directory = Path.Combine(Path.GetTempPath(), "weightinit-bn-zip-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                string zip = Path.Combine(directory, "model.zip"), onnx = Path.Combine(directory, "model.onnx");
                var architecture = NetworkArchitecture.Parse("plain_cnn(depth=4, width=4, batch_norm=true)");
                var (exitCode, output) = Run("dotnet", ExamplesApp.AssemblyPath(), "train", "--sample", "--arch", architecture.TextForm,
                    "-e", "1", "-i", "kaiming_normal", "--save-model", zip, "--export-onnx", onnx);
                Assert.AreEqual(0, exitCode, output);

                var mlContext = new MLContext(seed: 0);
                var loaded = mlContext.Model.LoadInitCnn(zip, out _);
                var cnn = loaded as InitCnnTransformer ?? ((IEnumerable<ITransformer>)loaded).OfType<InitCnnTransformer>().Single(); // train saves the transformer alone
                Assert.AreEqual(architecture, cnn.Model.Architecture);
                var network = cnn.Model.Network;
                long rows;
                using (var train = SampleData.Tensors(MnistSplit.Train))
                {
                    rows = train.Count;
                }
                long steps = (rows + cnn.Model.Settings.BatchSize - 1) / cnn.Model.Settings.BatchSize;
                Assert.AreEqual(3, network.Norms.Count);
                var exported = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).Graph.Initializer.ToDictionary(t => t.Name);
                foreach (var norm in network.Norms)
                {
                    Assert.AreEqual(steps, norm.NumBatchesTracked.item<long>(), $"{norm.LayerName}: one count per step");
                    Assert.IsTrue(norm.RunningMean.abs().max().item<float>() > 1e-3, $"{norm.LayerName}.running_mean moved");
                    Assert.IsTrue((norm.RunningVar - 1).abs().max().item<float>() > 1e-3, $"{norm.LayerName}.running_var moved");
                    CollectionAssert.AreEqual(OnnxGraph.ReadFloats(exported[norm.LayerName + ".running_mean"]), norm.RunningMean.data<float>().ToArray());
                    CollectionAssert.AreEqual(OnnxGraph.ReadFloats(exported[norm.LayerName + ".running_var"]), norm.RunningVar.data<float>().ToArray());
                }
                Assert.AreEqual(3, Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).Graph.Node.Count(n => n.OpType == "BatchNormalization"));
                // The counts are metadata, not graph initializers: ONNX Runtime would warn about an unused one.
                StringAssert.DoesNotMatch(output, new System.Text.RegularExpressions.Regex("Removing initializer"));
                var proto = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
                Assert.IsFalse(proto.Graph.Initializer.Any(t => t.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal)));
                StringAssert.Contains(proto.MetadataProps.Single(p => p.Key == "initcnn.num_batches_tracked").Value,
                    string.Create(CultureInfo.InvariantCulture, $"\"norms.0.num_batches_tracked\":{steps}"));
                byte[] Edited(string counts)
                {
                    var copy = proto.Clone();
                    copy.MetadataProps.Single(p => p.Key == "initcnn.num_batches_tracked").Value = counts;
                    return Google.Protobuf.MessageExtensions.ToByteArray(copy);
                }
                Assert.ThrowsExactly<InvalidDataException>(() => OnnxModelReader.Read(Edited("{\"norms.0.num_batches_tracked\":1}"), "missing.onnx"));
                Assert.ThrowsExactly<InvalidDataException>(() => OnnxModelReader.Read(
                    Edited("{\"norms.0.num_batches_tracked\":-1,\"norms.1.num_batches_tracked\":1,\"norms.2.num_batches_tracked\":1}"), "negative.onnx"));
                Assert.ThrowsExactly<InvalidDataException>(() => OnnxModelReader.Read(Edited("[1, 2, 3]"), "garbage.onnx"));

                using var test = SampleData.Tensors(MnistSplit.Test);
                var (loss, accuracy) = TrainingLoop.Evaluate(network, test, cnn.Model.Settings.ValidationBatchSize);
                var recorded = cnn.Model.History.Single();
                // The restored network may run another (checked) convolution path than training did: float32 rounding apart.
                Assert.AreEqual(recorded.ValidationLoss, loss, 1e-5, "validation loss of the restored network (eval mode, running statistics)");
                Assert.AreEqual(recorded.ValidationAccuracy, accuracy, 0.0021, "at most two of the 1,000 test images change class");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        private static double AssertClose(Tensor got, Tensor expected, double scale, double tolerance, string what)
        {
            using var scope = NewDisposeScope();
            var g = got.detach().to(ScalarType.Float64).flatten();
            var e = expected.to(ScalarType.Float64).flatten();
            Assert.AreEqual(e.shape[0], g.shape[0], $"{what}: element count");
            double denominator = Math.Max(Math.Max(e.abs().max().item<double>(), scale), double.Epsilon);
            double error = (g - e).abs().max().item<double>() / denominator;
            Assert.IsTrue(error <= tolerance, $"{what}: relative error {error:E2} against PyTorch 1.13");
            return error;
        }
    }
}
