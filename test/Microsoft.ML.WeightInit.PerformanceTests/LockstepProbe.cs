using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.ML.WeightInit.Initializers;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Networks.Kernels;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// Experiment (issue 19, the "lockstep" route): K copies of the seed net that see the same batches — what
    /// <c>compare</c> trains for one seed, one copy per initializer — trained (a) one after the other as K separate nets
    /// (the trainer's kernels: fused conv1 + ReLU + pool, conv2 channels-last) and (b) as one stacked network: conv1 of
    /// the K nets as one fused pass with K·20 output channels, conv2 as one grouped convolution (groups = K), fc1 and
    /// fc2 as batched matrix products over K, the loss the sum of the K mean losses (so each candidate's gradient is its
    /// own), SGD with momentum on the stacked tensors (element-wise, so each candidate's update is its own).
    /// Reports the time per step of both, interleaved, and how far the stacked candidates' parameters end from the
    /// separate runs' after the same steps.
    /// </summary>
    public static class LockstepProbe
    {
        private const double LearningRate = 0.01;
        private const double Momentum = 0.5;

        /// <summary>Runs the comparison and returns a Markdown summary.</summary>
        /// <param name="candidates">K, the number of nets trained together.</param>
        /// <param name="steps">SGD steps of 64 images per measurement.</param>
        /// <param name="rounds">Interleaved rounds (separate, stacked, separate, …); medians are reported.</param>
        public static string Run(int candidates = 10, int steps = 30, int rounds = 5)
        {
            var data = PerfData.TrainTensors;
            var path = ConvolutionPathSelector.Current.Path;
            bool fused = ConvolutionPathSelector.Current.UsesFusedConv1;
            var separate = new List<double>();
            var stacked = new List<double>();
            double largestDifference = 0;
            for (int round = 0; round < rounds; round++)
            {
                var (separateSeconds, separateParameters) = TrainSeparately(data, path, fused, candidates, steps);
                var (stackedSeconds, stackedParameters) = TrainStacked(data, candidates, steps);
                separate.Add(separateSeconds);
                stacked.Add(stackedSeconds);
                largestDifference = Math.Max(largestDifference, LargestRelativeDifference(separateParameters, stackedParameters));
            }
            double separateMedian = Median(separate);
            double stackedMedian = Median(stacked);
            double images = (double)candidates * steps * 64;
            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"Lockstep probe: K = {candidates} seed nets on the same batches, {steps} steps of 64 images, {rounds} interleaved rounds, {torch.get_num_threads()} threads, fused conv1: {fused}.");
            text.AppendLine();
            text.AppendLine("| Variant | Seconds (median) | Candidate-images/s | Per round (s) |");
            text.AppendLine("| --- | ---: | ---: | --- |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| K separate nets, one after the other | {separateMedian:F3} | {images / separateMedian:F0} | {string.Join(", ", separate.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| one stacked net of K candidates | {stackedMedian:F3} | {images / stackedMedian:F0} | {string.Join(", ", stacked.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} |");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Stacked / separate time (median of rounds): {Median(stacked.Zip(separate, (a, b) => a / b).ToList()):F3}. Largest relative difference of any candidate's parameters after {steps} steps, stacked vs separate (max |a − b| / max |b| per tensor): {largestDifference:E1}.");
            return text.ToString();
        }

        /// <summary>K nets initialized from seeds 1 … K (PyTorch's default reset) and their stacked parameters.</summary>
        private static List<Tensor[]> InitialParameters(int candidates)
        {
            var result = new List<Tensor[]>();
            for (int k = 0; k < candidates; k++)
            {
                using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPath.ChannelsLast);
                using var generator = new Generator((ulong)(k + 1));
                NetworkInitializer.Initialize(net.Layers, generator, InitializerPlan.PyTorchDefault);
                result.Add(net.Layers.SelectMany(l => new[] { l.Weight.detach().clone(), l.Bias.detach().clone() }).ToArray());
            }
            return result;
        }

        private static (double Seconds, List<Tensor[]> Parameters) TrainSeparately(TensorDataset data, ConvolutionPath path, bool fused, int candidates, int steps)
        {
            var initial = InitialParameters(candidates);
            var result = new List<Tensor[]>();
            var watch = new Stopwatch();
            for (int k = 0; k < candidates; k++)
            {
                using var net = new MnistCnn(ImageShape.Mnist, path) { FusedConv1ReluPool = fused };
                var parameters = net.Layers.SelectMany(l => new[] { l.Weight, l.Bias }).ToArray();
                using (no_grad())
                {
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].copy_(initial[k][i]);
                    }
                }
                using var optimizer = optim.SGD(net.parameters(), LearningRate, Momentum);
                watch.Start();
                for (int step = 0; step < steps; step++)
                {
                    using var scope = NewDisposeScope();
                    var (images, labels) = Batch(data, step);
                    optimizer.zero_grad();
                    var loss = F.nll_loss(net.forward(images), labels);
                    loss.backward();
                    optimizer.step();
                    _ = loss.item<float>();
                }
                watch.Stop();
                result.Add(parameters.Select(p => p.detach().clone()).ToArray());
            }
            return (watch.Elapsed.TotalSeconds, result);
        }

        private static (double Seconds, List<Tensor[]> Parameters) TrainStacked(TensorDataset data, int candidates, int steps)
        {
            var initial = InitialParameters(candidates);
            Parameter Stack(int index) => new(cat(initial.Select(p => p[index]).ToArray(), 0).contiguous());
            Parameter StackK(int index) => new(stack(initial.Select(p => p[index]).ToArray(), 0).contiguous());
            var w1 = Stack(0);
            var b1 = Stack(1);
            var w2 = new Parameter(Convolution.ToChannelsLast(cat(initial.Select(p => p[2]).ToArray(), 0)));
            var b2 = Stack(3);
            var w3 = StackK(4);
            var b3 = StackK(5);
            var w4 = StackK(6);
            var b4 = StackK(7);
            var parameters = new[] { w1, b1, w2, b2, w3, b3, w4, b4 };
            using var optimizer = optim.SGD(parameters, LearningRate, Momentum);
            var watch = Stopwatch.StartNew();
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                var (images, labels) = Batch(data, step);
                optimizer.zero_grad();
                long n = images.shape[0];
                var h = ConvReluPoolFunction.Apply(images, w1, b1);                        // N × K·20 × 12 × 12
                h = F.conv2d(Convolution.ToChannelsLast(h), w2, b2, groups: candidates);   // N × K·50 × 8 × 8
                h = F.max_pool2d(F.relu(h), 2);                                            // N × K·50 × 4 × 4
                h = h.contiguous().reshape(n, candidates, 800).permute(1, 0, 2);           // K × N × 800
                h = F.relu(h.bmm(w3.transpose(1, 2)) + b3.unsqueeze(1));                     // K × N × 500
                h = h.bmm(w4.transpose(1, 2)) + b4.unsqueeze(1);                             // K × N × 10
                var logProbabilities = F.log_softmax(h, -1).reshape(candidates * n, 10);
                var loss = F.nll_loss(logProbabilities, labels.repeat(candidates)) * candidates;
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            }
            watch.Stop();
            var result = new List<Tensor[]>();
            for (int k = 0; k < candidates; k++)
            {
                result.Add(new[]
                {
                    w1.detach().narrow(0, k * 20, 20).clone(), b1.detach().narrow(0, k * 20, 20).clone(),
                    w2.detach().narrow(0, k * 50, 50).contiguous(), b2.detach().narrow(0, k * 50, 50).clone(),
                    w3.detach()[k].clone(), b3.detach()[k].clone(), w4.detach()[k].clone(), b4.detach()[k].clone(),
                });
            }
            return (watch.Elapsed.TotalSeconds, result);
        }

        /// <summary>Batch <paramref name="step"/> of a fixed order (the first rows in file order): every variant sees the same.</summary>
        private static (Tensor Images, Tensor Labels) Batch(TensorDataset data, int step)
        {
            long start = step * 64L % (data.Count - 64);
            return (data.Features.narrow(0, start, 64), data.Labels.narrow(0, start, 64));
        }

        private static double LargestRelativeDifference(List<Tensor[]> expected, List<Tensor[]> actual)
        {
            double largest = 0;
            for (int k = 0; k < expected.Count; k++)
            {
                for (int i = 0; i < expected[k].Length; i++)
                {
                    using var scope = NewDisposeScope();
                    var b = expected[k][i].to_type(ScalarType.Float64);
                    var a = actual[k][i].to_type(ScalarType.Float64);
                    double scale = Math.Max(b.abs().max().item<double>(), 1e-12);
                    largest = Math.Max(largest, (a - b).abs().max().item<double>() / scale);
                }
            }
            return largest;
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }
}
