using System.Collections.Generic;
using Microsoft.ML.WeightInit.Scoring;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Everything about a trained InitCnn model except its weights, as stored in the ONNX model's
    /// <c>metadata_props</c> (one entry per section, see <see cref="OnnxFormat"/>). Readers ignore JSON properties they
    /// do not know, so later versions may add some; renaming or removing one needs a new
    /// <see cref="OnnxFormat.Version"/>.
    /// </summary>
    internal sealed class ModelMetadata
    {
        public int FormatVersion { get; set; } = OnnxFormat.Version;

        /// <summary>Version of the library that wrote the file (informational).</summary>
        public string LibraryVersion { get; set; } = "";

        public ImageRecord Image { get; set; } = new();

        public NormalizationRecord Normalization { get; set; } = new();

        public ColumnsRecord Columns { get; set; } = new();

        /// <summary>The training label's key values; PredictedLabel carries them.</summary>
        public LabelKeyValues LabelKeyValues { get; set; } = new("UInt32", System.Array.Empty<string>());

        /// <summary>The convolution path the model was trained with.</summary>
        public string ConvolutionPath { get; set; } = "";

        public TrainingRecord Training { get; set; } = new();

        public List<EpochMetrics> History { get; set; } = new();

        /// <summary>The architecture's text form (<c>mnist_net</c> unless the format version is
        /// <see cref="OnnxFormat.ArchitectureVersion"/>).</summary>
        public string Architecture { get; set; } = "mnist_net";

        /// <summary>The count of every batch normalization's <c>num_batches_tracked</c> buffer by state-dict name, or null
        /// for networks without batch normalization (<see cref="OnnxFormat.BatchCountsKey"/>).</summary>
        public Dictionary<string, long>? BatchCounts { get; set; }
    }

    /// <summary>Input images (C × H × W) and the number of classes K.</summary>
    internal sealed class ImageRecord
    {
        public int Channels { get; set; }

        public int Height { get; set; }

        public int Width { get; set; }

        public int Classes { get; set; }
    }

    /// <summary>(x − Mean) / Std is applied to every feature value inside the graph.</summary>
    internal sealed class NormalizationRecord
    {
        public float Mean { get; set; }

        public float Std { get; set; }
    }

    /// <summary>The ML.NET columns the transformer reads and writes.</summary>
    internal sealed class ColumnsRecord
    {
        public string Features { get; set; } = "";

        public string Score { get; set; } = "";

        public string PredictedLabel { get; set; } = "";
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

        public bool ZeroLastLayer { get; set; }

        public string WeightInitializer { get; set; } = "";

        public string BiasInitializer { get; set; } = "";

        public Dictionary<string, string> LayerWeightInitializers { get; set; } = new();

        public Dictionary<string, string> LayerBiasInitializers { get; set; } = new();
    }
}
