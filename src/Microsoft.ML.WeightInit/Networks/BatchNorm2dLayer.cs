using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>
    /// Batch normalization over the channels of N × C × H × W activations, PyTorch's <c>nn.BatchNorm2d(C)</c> with its
    /// defaults (Ioffe &amp; Szegedy 2015): y = (x − mean) / √(var + ε) · weight + bias, ε = 1e-5. In train mode
    /// mean and var are the batch's (biased variance) and the running statistics move towards them with momentum 0.1
    /// (running_var towards the unbiased batch variance); in eval mode the running statistics are used. State-dict
    /// names as PyTorch's: parameters <c>weight</c>, <c>bias</c> [C]; buffers <c>running_mean</c>, <c>running_var</c>
    /// [C] (float32) and <c>num_batches_tracked</c> [] (int64). Construction does PyTorch's reset (weight 1, bias 0,
    /// mean 0, var 1, count 0): no draws.
    /// </summary>
    /// <remarks>The computation is libtorch's <c>batch_norm</c> (what PyTorch's module calls), so values, running
    /// statistics and gradients match PyTorch's.</remarks>
    internal sealed class BatchNorm2dLayer : nn.Module<Tensor, Tensor>, IParameterizedLayer
    {
        /// <summary>ε added to the variance (PyTorch's default).</summary>
        public const double Epsilon = 1e-5;

        /// <summary>Weight of the current batch in the running statistics (PyTorch's default).</summary>
        public const double Momentum = 0.1;

        /// <summary>The state-dict name of the train-mode batch count buffer (an int64 scalar).</summary>
        public const string CountBuffer = "num_batches_tracked";

#pragma warning disable IDE1006, SA1307 // state_dict keys come from field names: PyTorch's names. Declaration order is state-dict order.
        private readonly Parameter weight;
        private readonly Parameter bias;
        private readonly Tensor running_mean;
        private readonly Tensor running_var;
        private readonly Tensor num_batches_tracked;
#pragma warning restore IDE1006, SA1307

        /// <summary>Creates the layer, reset.</summary>
        /// <param name="name">Layer name, e.g. <c>norms.3</c>.</param>
        /// <param name="channels">Channels C.</param>
        public BatchNorm2dLayer(string name, long channels)
            : base(name)
        {
            if (channels < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(channels), "Channels must be positive.");
            }
            // Parameter wraps a new handle on the same storage: the temporaries are freed right away. The module owns
            // its tensors: none stays in a dispose scope the caller may have open.
            using (var w = ones(channels))
            using (var b = zeros(channels))
            {
                weight = (Parameter)new Parameter(w).DetachFromDisposeScope();
                bias = (Parameter)new Parameter(b).DetachFromDisposeScope();
            }
            running_mean = zeros(channels).DetachFromDisposeScope();
            running_var = ones(channels).DetachFromDisposeScope();
            num_batches_tracked = tensor(0L).DetachFromDisposeScope();
            RegisterComponents();
        }

        /// <inheritdoc/>
        public string LayerName => GetName();

        /// <inheritdoc/>
        public Parameter Weight => weight;

        /// <inheritdoc/>
        public Parameter Bias => bias;

        /// <summary>Running mean per channel [C] (the buffer itself, as registered).</summary>
        public Tensor RunningMean => running_mean;

        /// <summary>Running variance per channel [C] (the buffer itself, as registered).</summary>
        public Tensor RunningVar => running_var;

        /// <summary>Train-mode batches seen since the reset (int64 scalar).</summary>
        public Tensor NumBatchesTracked => num_batches_tracked;

        /// <summary>The parameters of a layer named <paramref name="name"/> with <paramref name="channels"/> channels, in
        /// state-dict order: <c>{name}.weight</c>, <c>{name}.bias</c>, both [C].</summary>
        public static IEnumerable<(string Name, long[] Shape)> ParameterShapes(string name, long channels)
        {
            yield return (name + ".weight", new[] { channels });
            yield return (name + ".bias", new[] { channels });
        }

        /// <summary>The buffers, in state-dict order: <c>{name}.running_mean</c>, <c>{name}.running_var</c> [C],
        /// <c>{name}.num_batches_tracked</c> [].</summary>
        public static IEnumerable<(string Name, long[] Shape)> BufferShapes(string name, long channels)
        {
            yield return (name + ".running_mean", new[] { channels });
            yield return (name + ".running_var", new[] { channels });
            yield return (name + "." + CountBuffer, Array.Empty<long>());
        }

        /// <summary>PyTorch's <c>reset_parameters</c>: weight 1, bias 0, running mean 0, running var 1, count 0.</summary>
        public void Reset()
        {
            using var noGrad = no_grad();
            weight.fill_(1);
            bias.fill_(0);
            running_mean.zero_();
            running_var.fill_(1);
            num_batches_tracked.zero_();
        }

        /// <summary>N × C × H × W → the same shape, normalized per channel (see the class remarks).</summary>
        /// <param name="input">The input batch.</param>
        /// <returns>The normalized batch.</returns>
        public override Tensor forward(Tensor input) => Normalize(input, trackRunningStats: true);

        /// <summary>As <see cref="forward(Tensor)"/>; with <paramref name="trackRunningStats"/> false, train mode still normalizes
        /// with the batch's statistics but leaves the running statistics and the count as they are (the diagnostic and
        /// calibration passes, which are no training steps).</summary>
        /// <param name="input">The input batch, N × C × H × W.</param>
        /// <param name="trackRunningStats">Whether train mode updates the running statistics.</param>
        /// <returns>The normalized batch.</returns>
        public Tensor Normalize(Tensor input, bool trackRunningStats)
        {
            if (input.dim() != 4)
            {
                throw new ArgumentException($"{LayerName}: expected a 4-D input (N × C × H × W); got {input.dim()} dimensions.", nameof(input));
            }
            if (!training)
            {
                return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training: false, Momentum, Epsilon);
            }
            if (!trackRunningStats)
            {
                return nn.functional.batch_norm(input, null, null, weight, bias, training: true, Momentum, Epsilon);
            }
            using (no_grad())
            {
                num_batches_tracked.add_(1);
            }
            return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training: true, Momentum, Epsilon);
        }
    }
}
