namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>What one step of a network's forward pass computes (exporters turn each into operators).</summary>
    internal enum LayerKind
    {
        /// <summary>Stride-1 2-D convolution with bias (<c>{Parameter}.weight</c>: out × in × k × k), zero padding of
        /// <see cref="LayerStep.Padding"/> pixels on every side (0 for the seed net).</summary>
        Convolution,

        /// <summary>max(x, 0), element-wise.</summary>
        Relu,

        /// <summary>Max-pooling over <see cref="LayerStep.Size"/> × <see cref="LayerStep.Size"/> windows, stride
        /// <see cref="LayerStep.Size"/>.</summary>
        MaxPool,

        /// <summary>N × C × H × W → N × (C·H·W), row-major (PyTorch's <c>x.reshape(N, -1)</c>).</summary>
        Flatten,

        /// <summary>x·Wᵀ + b (<c>{Parameter}.weight</c>: out × in), PyTorch's <c>nn.Linear</c>.</summary>
        Linear,

        /// <summary>tanh(x), element-wise.</summary>
        Tanh,

        /// <summary>SELU, element-wise (PyTorch's <c>F.selu</c>; ONNX <c>Selu</c> with its default α and γ, the same
        /// constants in float32).</summary>
        Selu,

        /// <summary>N × C × H × W → N × C × 1 × 1, the mean over each channel's H × W values.</summary>
        GlobalAveragePool,

        /// <summary>Keeps the current tensor under the name <see cref="LayerStep.Parameter"/> (no operator; the next step
        /// reads the same tensor).</summary>
        Save,

        /// <summary>Makes the tensor kept under <see cref="LayerStep.Parameter"/> the current one (no operator).</summary>
        Load,

        /// <summary>The current tensor plus the one kept under <see cref="LayerStep.Parameter"/>, element-wise (a residual
        /// connection).</summary>
        Add,

        /// <summary>Batch normalization with the running statistics (eval semantics), per channel of N × C × H × W:
        /// (x − <c>{Parameter}.running_mean</c>) / √(<c>{Parameter}.running_var</c> + 1e-5) · <c>{Parameter}.weight</c>
        /// + <c>{Parameter}.bias</c>; ONNX <c>BatchNormalization</c>, PyTorch's <c>nn.BatchNorm2d</c> in eval mode.</summary>
        BatchNormalization,
    }

    /// <summary>One step of a network's forward pass, in order; the last step's output are the class logits.</summary>
    /// <param name="Kind">The operation.</param>
    /// <param name="Parameter">State-dict prefix of the step's weight and bias (<c>conv1</c>), the name of a kept tensor
    /// (<see cref="LayerKind.Save"/>, <see cref="LayerKind.Load"/>, <see cref="LayerKind.Add"/>), or null.</param>
    /// <param name="Size">Kernel size of a convolution, window of a max-pool; 0 otherwise.</param>
    /// <param name="Padding">Zero padding of a convolution on every side; 0 otherwise.</param>
    internal sealed record LayerStep(LayerKind Kind, string? Parameter = null, int Size = 0, int Padding = 0)
    {
        public static LayerStep Conv(string parameter, int kernel, int padding = 0) => new(LayerKind.Convolution, parameter, kernel, padding);

        public static LayerStep Linear(string parameter) => new(LayerKind.Linear, parameter);

        public static LayerStep Pool(int size) => new(LayerKind.MaxPool, null, size);

        public static LayerStep BatchNorm(string parameter) => new(LayerKind.BatchNormalization, parameter);

        public static LayerStep Relu { get; } = new(LayerKind.Relu);

        public static LayerStep Flatten { get; } = new(LayerKind.Flatten);

        public static LayerStep Tanh { get; } = new(LayerKind.Tanh);

        public static LayerStep Selu { get; } = new(LayerKind.Selu);

        public static LayerStep GlobalAveragePool { get; } = new(LayerKind.GlobalAveragePool);

        public static LayerStep Save(string name) => new(LayerKind.Save, name);

        public static LayerStep Load(string name) => new(LayerKind.Load, name);

        public static LayerStep Add(string name) => new(LayerKind.Add, name);

        /// <summary>The step of an activation; null for the identity.</summary>
        public static LayerStep? Of(NetworkActivation activation) => activation switch
        {
            NetworkActivation.Relu => Relu,
            NetworkActivation.Tanh => Tanh,
            NetworkActivation.Selu => Selu,
            _ => null,
        };
    }
}
