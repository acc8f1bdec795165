using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Networks.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// Per-op profile of one training step of the seed net (batch 64 by default, real MNIST images): every op of the forward pass
    /// timed alone on the real intermediate tensors (same values, same memory layout), its backward timed alone through
    /// libtorch's autograd engine (<c>torch.autograd.grad</c> on that op's graph, upstream gradient in the output's
    /// layout), the step's other work (batch gathering, <c>zero_grad</c>, the SGD step, reading the loss) alone, and the
    /// whole step; "autograd engine and the rest" is the whole step minus the sum of the parts. Two variants — conv1 by
    /// libtorch (the checked convolution path) and by the fused conv1 + ReLU + max-pool kernel — are measured in
    /// interleaved rounds in one process; each figure is the median over the rounds of the mean per call. Tensors live
    /// in one dispose scope for the whole run.
    /// </summary>
    public static class OpProfile
    {
        /// <summary>One op's median times per call, in ms.</summary>
        public sealed record Row(string Op, double Forward, double Backward)
        {
            /// <summary>Forward + backward.</summary>
            public double Total => (double.IsNaN(Forward) ? 0 : Forward) + (double.IsNaN(Backward) ? 0 : Backward);
        }

        /// <summary>A variant's rows, its whole step and its label.</summary>
        public sealed record Profile(string Variant, IReadOnlyList<Row> Rows, double Step, int BatchSize);

        /// <summary>Measures both variants; returns (libtorch conv1, fused conv1) (the fused one is null when its check
        /// did not pass on this machine).</summary>
        public static IReadOnlyList<Profile> Run(int rounds = 7, int calls = 20, int batchSize = 64)
        {
            var data = PerfData.TrainTensors;
            var selection = ConvolutionPathSelector.Current;
            using var scope = NewDisposeScope();
            var variants = new List<Variant> { new("conv1 by libtorch (" + selection.Path + ")", data, selection.Path, fused: false, batchSize) };
            if (selection.UsesFusedConv1)
            {
                variants.Add(new Variant("conv1+ReLU+pool fused kernel", data, selection.Path, fused: true, batchSize));
            }
            var forward = variants.Select(v => v.Ops.Select(_ => new List<double>()).ToList()).ToList();
            var backward = variants.Select(v => v.Ops.Select(_ => new List<double>()).ToList()).ToList();
            var steps = variants.Select(_ => new List<double>()).ToList();
            for (int round = -1; round < rounds; round++)
            {
                for (int v = 0; v < variants.Count; v++)
                {
                    var variant = variants[v];
                    for (int i = 0; i < variant.Ops.Count; i++)
                    {
                        var op = variant.Ops[i];
                        double f = Time(calls, op.Forward);
                        double b = op.Backward is null ? double.NaN : Time(calls, op.Backward);
                        if (round >= 0)
                        {
                            forward[v][i].Add(f);
                            backward[v][i].Add(b);
                        }
                    }
                    double s = Time(calls, variant.Step);
                    if (round >= 0)
                    {
                        steps[v].Add(s);
                    }
                }
            }
            var profiles = new List<Profile>();
            for (int v = 0; v < variants.Count; v++)
            {
                var rows = variants[v].Ops.Select((op, i) => new Row(op.Name, Median(forward[v][i]), Median(backward[v][i]))).ToList();
                profiles.Add(new Profile(variants[v].Name, rows, Median(steps[v]), batchSize));
            }
            foreach (var variant in variants)
            {
                variant.Dispose();
            }
            return profiles;
        }

        /// <summary>The profiles as Markdown: one table per variant with time and share of the whole step.</summary>
        public static string Format(IReadOnlyList<Profile> profiles)
        {
            var sb = new StringBuilder();
            foreach (var p in profiles)
            {
                double sum = p.Rows.Sum(r => r.Total);
                sb.AppendLine(Inv($"Per-op profile of one training step, batch {p.BatchSize}, {get_num_threads()} threads — {p.Variant}: whole step {p.Step:F2} ms ({p.BatchSize / p.Step * 1000:F0} images/s)."));
                sb.AppendLine();
                sb.AppendLine("| Op | Forward ms | Backward ms | Total ms | Share of step |");
                sb.AppendLine("| --- | ---: | ---: | ---: | ---: |");
                foreach (var r in p.Rows)
                {
                    sb.AppendLine(Inv($"| {r.Op} | {Ms(r.Forward)} | {Ms(r.Backward)} | {r.Total:F3} | {100 * r.Total / p.Step:F1}% |"));
                }
                sb.AppendLine(Inv($"| Sum of the ops above | | | {sum:F3} | {100 * sum / p.Step:F1}% |"));
                sb.AppendLine(Inv($"| Autograd engine and the rest (whole step − sum) | | | {p.Step - sum:F3} | {100 * (p.Step - sum) / p.Step:F1}% |"));
                sb.AppendLine(Inv($"| **Whole step** (gather, zero_grad, forward, backward, SGD step, loss) | | | {p.Step:F3} | 100% |"));
                sb.AppendLine();
            }
            return sb.ToString();
        }

        private static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("F3", CultureInfo.InvariantCulture);

        private static double Time(int calls, Action action)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++)
            {
                action();
            }
            return watch.Elapsed.TotalMilliseconds / calls;
        }

        private static double Median(List<double> values)
        {
            var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToList();
            return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }

        private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

        /// <summary>An op: its forward on fixed leaf inputs and the backward of a graph built once (retained).</summary>
        private sealed record Op(string Name, Action Forward, Action? Backward);

        /// <summary>One variant of the net with its real intermediates, its ops and its whole step.</summary>
        private sealed class Variant : IDisposable
        {
            private readonly MnistCnn _net;
            private readonly optim.Optimizer _optimizer;

            public Variant(string name, Training.TensorDataset data, ConvolutionPath path, bool fused, int batchSize)
            {
                Name = name;
                _net = new MnistCnn(data.Shape, path) { FusedConv1ReluPool = fused };
                using (var generator = new Generator(1))
                {
                    NetworkInitializer.Initialize(_net.Layers, generator, InitializerPlan.PyTorchDefault);
                }
                // Learning rate 0: the SGD step does all its arithmetic but the weights (and so the activations the
                // ops see) stay those of the initialization across rounds.
                _optimizer = optim.SGD(_net.parameters(), 0.0, 0.5);
                var order = randperm(data.Count, generator: new Generator(2));
                var index = order.narrow(0, 0, batchSize);
                var images = data.Features.index_select(0, index);
                var labels = data.Labels.index_select(0, index);
                var (w1, b1) = (_net.Layers[0].Weight, _net.Layers[0].Bias);
                var (w2, b2) = (_net.Layers[1].Weight, _net.Layers[1].Bias);
                var (w3, b3) = (_net.Layers[2].Weight, _net.Layers[2].Bias);
                var (w4, b4) = (_net.Layers[3].Weight, _net.Layers[3].Bias);
                var ops = new List<Op>();
                var channelsLast = path == ConvolutionPath.ChannelsLast;
                var convPath = path == ConvolutionPath.Im2Col ? ConvolutionPath.Im2Col : ConvolutionPath.Native;

                ops.Add(new Op("batch gather (index_select of images and labels)", () =>
                {
                    using var s = NewDisposeScope();
                    _ = data.Features.index_select(0, index);
                    _ = data.Labels.index_select(0, index);
                }, null));
                Tensor pooled1;
                if (fused)
                {
                    pooled1 = Add(ops, "conv1 + ReLU + max-pool, fused kernel", ins => ConvReluPoolFunction.Apply(ins[0], ins[1], ins[2]),
                        images, w1, b1);
                }
                else
                {
                    var x = channelsLast ? Add(ops, "conv1 input → channels-last copy", ins => Convolution.ToChannelsLast(ins[0]), images) : images;
                    var w = channelsLast ? Add(ops, "conv1 weight → channels-last copy", ins => Convolution.ToChannelsLast(ins[0]), w1) : w1;
                    var c1 = Add(ops, "conv1 1→20 (" + path + ")", ins => Convolution.Conv2d(ins[0], ins[1], ins[2], convPath), x, w, b1);
                    var r1 = Add(ops, "ReLU 1", ins => F.relu(ins[0]), c1);
                    pooled1 = Add(ops, "max-pool 1", ins => F.max_pool2d(ins[0], 2, 2), r1);
                }
                var x2 = channelsLast ? Add(ops, "conv2 input → channels-last copy", ins => Convolution.ToChannelsLast(ins[0]), pooled1) : pooled1;
                var w2c = channelsLast ? Add(ops, "conv2 weight → channels-last copy", ins => Convolution.ToChannelsLast(ins[0]), w2) : w2;
                var c2 = Add(ops, "conv2 20→50 (" + path + ")", ins => Convolution.Conv2d(ins[0], ins[1], ins[2], convPath), x2, w2c, b2);
                var r2 = Add(ops, "ReLU 2", ins => F.relu(ins[0]), c2);
                var p2 = Add(ops, "max-pool 2", ins => F.max_pool2d(ins[0], 2, 2), r2);
                var flat = Add(ops, "flatten (reshape; a copy from channels-last)", ins => ins[0].reshape(ins[0].shape[0], -1), p2);
                var f1 = Add(ops, "fc1 800→500 (linear, bias)", ins => F.linear(ins[0], ins[1], ins[2]), flat, w3, b3);
                var r3 = Add(ops, "ReLU 3", ins => F.relu(ins[0]), f1);
                var f2 = Add(ops, "fc2 500→10 (linear, bias)", ins => F.linear(ins[0], ins[1], ins[2]), r3, w4, b4);
                var logp = Add(ops, "log-softmax", ins => F.log_softmax(ins[0], 1), f2);
                Add(ops, "NLL loss", ins => F.nll_loss(ins[0], labels), logp);
                ops.Add(new Op("zero_grad", () => _optimizer.zero_grad(), null));
                using (var s = NewDisposeScope())
                {
                    F.nll_loss(_net.forward(images), labels).backward();
                }
                ops.Add(new Op("SGD step (momentum 0.5)", () => _optimizer.step(), null));
                var loss = F.nll_loss(logp, labels);
                ops.Add(new Op("loss.item() (reads the scalar)", () => _ = loss.item<float>(), null));
                Ops = ops;
                Step = () =>
                {
                    using var s = NewDisposeScope();
                    var im = data.Features.index_select(0, index);
                    var lb = data.Labels.index_select(0, index);
                    _optimizer.zero_grad();
                    var l = F.nll_loss(_net.forward(im), lb);
                    l.backward();
                    _optimizer.step();
                    _ = l.item<float>();
                };
            }

            public string Name { get; }

            public IReadOnlyList<Op> Ops { get; }

            public Action Step { get; }

            public void Dispose()
            {
                _optimizer.Dispose();
                _net.Dispose();
            }

            /// <summary>Adds an op on leaf copies of <paramref name="inputs"/> (gradient wanted where the input has one
            /// in the real step) and returns its output on the real values, detached.</summary>
            private static Tensor Add(List<Op> ops, string name, Func<Tensor[], Tensor> op, params Tensor[] inputs)
            {
                var leaves = inputs.Select(t => t.detach().clone().requires_grad_(t.requires_grad)).ToArray();
                var output = op(leaves);
                var upstream = randn_like(output);
                var wanted = leaves.Where(l => l.requires_grad).ToList();
                Action? backward = null;
                if (wanted.Count > 0 && output.requires_grad)
                {
                    backward = () =>
                    {
                        using var s = NewDisposeScope();
                        _ = autograd.grad(new[] { output }, wanted, new[] { upstream }, retain_graph: true);
                    };
                }
                ops.Add(new Op(name, () =>
                {
                    using var s = NewDisposeScope();
                    _ = op(leaves);
                }, backward));
                return output.detach().requires_grad_(output.requires_grad);
            }
        }
    }
}
