namespace Microsoft.ML.WeightInit.Networks
{
    /// <summary>The family of a <see cref="NetworkArchitecture"/>.</summary>
    internal enum ArchitectureKind
    {
        /// <summary><c>mnist_net</c>: the seed article's network (<see cref="MnistCnn"/>), the default.</summary>
        MnistNet,

        /// <summary><c>mlp</c>: a plain stack of fully connected layers on the flattened image.</summary>
        Mlp,

        /// <summary><c>plain_cnn</c>: a plain (residual-free) stack of 3×3 convolutions in three stages, global average
        /// pooling and a linear classifier.</summary>
        PlainCnn,

        /// <summary><c>resnet</c>: a stem convolution, basic residual blocks (two 3×3 convolutions and a shortcut) in three
        /// stages, global average pooling and a linear classifier.</summary>
        ResNet,
    }
}
