using System.Collections.Generic;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Everything about a trained InitCnn model except its weights, as stored (JSON) in the model blob. Readers
    /// ignore properties they do not know, so later versions may add some; renaming or removing one needs a new
    /// <see cref="ModelFormat.Version"/>.
    /// </summary>
    internal sealed class ModelMetadata
    {
        public string Format { get; set; } = ModelFormat.Name;

        public int FormatVersion { get; set; } = ModelFormat.Version;

        /// <summary>Version of the library that wrote the file (informational).</summary>
        public string LibraryVersion { get; set; } = "";

        public int Channels { get; set; }

        public int Height { get; set; }

        public int Width { get; set; }

        public int Classes { get; set; }

        public float NormalizationMean { get; set; }

        public float NormalizationStd { get; set; }

        public string FeatureColumnName { get; set; } = "";

        public string ScoreColumnName { get; set; } = "";

        public string PredictedLabelColumnName { get; set; } = "";

        /// <summary>The convolution path the model was trained with.</summary>
        public string ConvolutionPath { get; set; } = "";

        public TrainingRecord Training { get; set; } = new();

        public List<EpochMetrics> History { get; set; } = new();
    }

    /// <summary>The training protocol, with initializers as text forms.</summary>
    internal sealed class TrainingRecord
    {
        public int NumberOfEpochs { get; set; }

        public int BatchSize { get; set; }

        public int ValidationBatchSize { get; set; }

        public double LearningRate { get; set; }

        public double Momentum { get; set; }

        public long Seed { get; set; }

        public int NumberOfThreads { get; set; }

        /// <summary>The convolution path the caller asked for, or null (verified automatically).</summary>
        public string? ConvolutionPath { get; set; }

        /// <summary>The whole initialization plan's text form (InitializerPlan.Parse reads it back).</summary>
        public string InitializationPlan { get; set; } = "";

        public bool ZeroLastLayer { get; set; }

        public string WeightInitializer { get; set; } = "";

        public string BiasInitializer { get; set; } = "";

        public Dictionary<string, string> LayerWeightInitializers { get; set; } = new();

        public Dictionary<string, string> LayerBiasInitializers { get; set; } = new();
    }
}
