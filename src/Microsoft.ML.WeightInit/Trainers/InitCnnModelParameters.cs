using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>
    /// A trained InitCnn model: the network, the input normalization, the protocol it was trained with (initializers
    /// as text forms, seed, epochs, …) and the per-epoch history.
    /// </summary>
    public sealed class InitCnnModelParameters : IDisposable
    {
        private volatile bool _disposed;

        internal InitCnnModelParameters(ClassifierNetwork network, float normalizationMean, float normalizationStd,
            IReadOnlyList<EpochMetrics> history, TrainingSettings settings, DataViewSchema.Annotations? labelAnnotations)
        {
            Network = network ?? throw new ArgumentNullException(nameof(network));
            NormalizationMean = normalizationMean;
            NormalizationStd = normalizationStd;
            History = history.ToArray();
            Settings = settings;
            LabelAnnotations = labelAnnotations;
            Network.eval();
        }

        /// <summary>The trained network (TorchSharp module; parameters named as PyTorch's: <c>conv1.weight</c>, … for the
        /// seed net, <c>layers.0.weight</c>, … for the deep architectures).</summary>
        public ClassifierNetwork Network { get; }

        /// <summary>The architecture of <see cref="Network"/> (<see cref="NetworkArchitecture.MnistNet"/> by default).</summary>
        public NetworkArchitecture Architecture => Network.Architecture;

        /// <summary>Input images (C × H × W) and number of classes K.</summary>
        public ImageShape ImageShape => Network.Shape;

        /// <summary>Subtracted from each feature value before the network.</summary>
        public float NormalizationMean { get; }

        /// <summary>Divides each centred feature value.</summary>
        public float NormalizationStd { get; }

        /// <summary>Metrics of every epoch, in order.</summary>
        public IReadOnlyList<EpochMetrics> History { get; }

        /// <summary>The protocol the model was trained with.</summary>
        internal TrainingSettings Settings { get; }

        /// <summary>Text form of the weight initializer (e.g. <c>xavier_uniform(gain=1)</c>).</summary>
        public string WeightInitializer => Settings.Initialization.Weight.TextForm;

        /// <summary>Text form of the bias initializer (e.g. <c>zeros</c>).</summary>
        public string BiasInitializer => Settings.Initialization.Bias.TextForm;

        /// <summary>Text form of the whole initialization plan (weights, biases, per-layer overrides).</summary>
        public string Initialization => Settings.Initialization.TextForm;

        /// <summary>The convolution path the network computes with.</summary>
        public ConvolutionPath ConvolutionPath => Network.ConvolutionPath;

        /// <summary>Annotations of the training label column (its KeyValues name the classes).</summary>
        internal DataViewSchema.Annotations? LabelAnnotations { get; }

        /// <summary>The parameters as a PyTorch-style state dict (names → tensors; the tensors are the model's own).</summary>
        /// <returns>conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias.</returns>
        /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
        public Dictionary<string, torch.Tensor> StateDict()
        {
            ThrowIfDisposed();
            return Network.state_dict();
        }

        /// <summary>
        /// Writes the trained network as an ONNX model (opset 13, IR 8) that ONNX Runtime or any ONNX consumer runs:
        /// input <c>Features</c>, float32 [N, C·H·W] raw feature values (normalized inside the graph as in training:
        /// (x − <see cref="NormalizationMean"/>) / <see cref="NormalizationStd"/>); outputs <c>Score</c>, float32 [N, K]
        /// class probabilities (softmax), and <c>PredictedIndex</c>, int64 [N], the arg-max class index (0-based, in
        /// the order of the label's key values). The graph's initializers are named as the state dict
        /// (<c>conv1.weight</c>, …). Its <c>metadata_props</c> hold the format version, image shape, label key values,
        /// normalization, training settings, the initializer plan's text form and the per-epoch history. The file is
        /// written through a temporary file and renamed, so a failure leaves no partial file.
        /// </summary>
        /// <param name="path">The .onnx file to create or replace.</param>
        /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
        /// <exception cref="System.IO.IOException">The file cannot be written.</exception>
        public void ExportOnnx(string path)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            var bytes = OnnxBytes();
            IO.AtomicFile.Write(path, stream => stream.Write(bytes));
        }

        /// <summary>Writes the trained network as an ONNX model to <paramref name="stream"/> (see
        /// <see cref="ExportOnnx(string)"/>).</summary>
        /// <param name="stream">A writable stream; left open.</param>
        /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
        public void ExportOnnx(System.IO.Stream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            stream.Write(OnnxBytes());
        }

        private byte[] OnnxBytes() => Persistence.ModelSnapshot.Bytes(Persistence.ModelSnapshot.Export(this,
            new Persistence.ColumnsRecord { Features = ColumnNames.Features, Score = ColumnNames.Score, PredictedLabel = ColumnNames.PredictedLabel },
            forMLNet: false));

        /// <summary>Frees the network's native memory; the model cannot score or be exported afterwards.</summary>
        public void Dispose()
        {
            _disposed = true;
            Network.Dispose();
        }

        /// <summary>Scoring or exporting a disposed model would read an empty network: say so instead.</summary>
        /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
        internal void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(InitCnnModelParameters),
                    "This InitCnn model was disposed: its network's native memory was freed by Dispose, so it can no longer score or be exported.");
            }
        }
    }
}
