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

        /// <summary>Image height in pixels; 0 takes the smallest square size that gives fc1's input size (28 for
        /// 800 inputs). Default 0.</summary>
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
