using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Interop
{
    /// <summary>How a PyTorch state dict becomes an <see cref="InitCnnTransformer"/> (see
    /// <see cref="PyTorchStateDict.ImportInitCnn(ModelOperationsCatalog, string, InitCnnImportOptions?)"/>).</summary>
    public sealed class InitCnnImportOptions
    {
        /// <summary>Feature column the model reads. Default <c>Features</c>.</summary>
        public string FeatureColumnName = ColumnNames.Features;

        /// <summary>Output column of class probabilities. Default <c>Score</c>.</summary>
        public string ScoreColumnName = ColumnNames.Score;

        /// <summary>Output column of the predicted class key. Default <c>PredictedLabel</c>.</summary>
        public string PredictedLabelColumnName = ColumnNames.PredictedLabel;

        /// <summary>The network the state dict is of: its names and shapes (<c>layers.0.weight</c>, …) are checked
        /// against the architecture's, e.g. <c>NetworkArchitecture.Parse("plain_cnn(depth=11, width=16)")</c>; carried as
        /// <see cref="InitCnnTrainer.Options.Architecture"/> is and recorded with the imported model. Default
        /// <see cref="NetworkArchitecture.MnistNet"/> (PyTorch's MNIST example <c>Net</c>).</summary>
        public NetworkArchitecture Architecture = NetworkArchitecture.MnistNet;

        /// <summary>Image height in pixels; 0 infers it where the weights fix it: for <c>mnist_net</c> the smallest
        /// square size that gives fc1's input size (28 for 800 inputs); for <c>mlp</c> 1-channel square images of
        /// layers.0's input size C·H·W (28 for 784; the MLP flattens the image, so any C × H × W of that size scores
        /// the same); <c>plain_cnn</c> ends in global average pooling, which hides the size, so it must be given there.
        /// With a height given, C is read from the weights (conv1's or layers.0's input channels, or layers.0's inputs /
        /// (H·W) for <c>mlp</c>). Default 0.</summary>
        public int ImageHeight;

        /// <summary>Image width in pixels; 0 takes the height. Default 0.</summary>
        public int ImageWidth;

        /// <summary>Subtracted from every feature value, as in training. Default 0.1307 (MNIST, the seed's
        /// <c>transforms.Normalize((0.1307,), (0.3081,))</c>).</summary>
        public float NormalizationMean = InitCnnTrainer.Defaults.NormalizationMean;

        /// <summary>Divides every centred feature value. Default 0.3081 (MNIST).</summary>
        public float NormalizationStd = InitCnnTrainer.Defaults.NormalizationStd;

        /// <summary>Names of the K classes, the key values of PredictedLabel (text); null gives the UInt32 values
        /// 0 … K − 1 (the digits for MNIST, as <c>MapValueToKey</c> of a UInt32 label with ByValue ordinality).
        /// Default null.</summary>
        public string[]? ClassNames;
    }
}
