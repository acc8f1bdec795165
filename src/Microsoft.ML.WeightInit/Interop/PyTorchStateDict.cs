using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.IO;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Scoring;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Interop
{
    /// <summary>
    /// The trained network as a PyTorch state dict file (<c>torch.save(net.state_dict(), path)</c> format, read by
    /// <c>net.load_state_dict(torch.load(path))</c>), both ways, through TorchSharp.PyBridge. Parameter names are
    /// those of PyTorch's MNIST example <c>Net</c>: <c>conv1.weight</c> [20, C, 5, 5], <c>conv1.bias</c> [20],
    /// <c>conv2.weight</c> [50, 20, 5, 5], <c>conv2.bias</c> [50], <c>fc1.weight</c> [500, 50·h·w], <c>fc1.bias</c>
    /// [500], <c>fc2.weight</c> [K, 500], <c>fc2.bias</c> [K]; float32.
    /// </summary>
    /// <remarks>
    /// The file holds weights only: PyTorch's Net takes images normalized as in training
    /// (<see cref="InitCnnModelParameters.NormalizationMean"/>, <see cref="InitCnnModelParameters.NormalizationStd"/>)
    /// and returns log-probabilities; the ML.NET transformer normalizes raw features itself and returns probabilities.
    /// </remarks>
    public static class PyTorchStateDict
    {
        /// <summary>Writes the network's parameters as a PyTorch state dict file (typically <c>.pt</c>).</summary>
        /// <param name="model">The trained model.</param>
        /// <param name="path">File to write (replaced if it exists, only once the new content is complete: a failure
        /// part-way leaves the old file as it was and no partial file behind).</param>
        /// <exception cref="IOException">The file cannot be written.</exception>
        /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
        public static void ExportStateDict(this InitCnnModelParameters model, string path)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentException.ThrowIfNullOrEmpty(path);
            model.ThrowIfDisposed();
            // Written beside the target and renamed over it: a failure or a kill mid-write leaves the old file whole.
            AtomicFile.Write(path, stream => model.ExportStateDict(stream));
        }

        /// <summary>Writes the network's parameters as a PyTorch state dict to a stream.</summary>
        /// <param name="model">The trained model.</param>
        /// <param name="stream">A writable stream (left open).</param>
        public static void ExportStateDict(this InitCnnModelParameters model, Stream stream)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(stream);
            model.ThrowIfDisposed();
            var state = model.Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
            try
            {
                PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true);
            }
            finally
            {
                foreach (var tensor in state.Values)
                {
                    tensor.Dispose();
                }
            }
        }

        /// <summary>
        /// Creates a transformer from a PyTorch state dict of the MNIST example's <c>Net</c> (or of the same
        /// architecture with C input channels, other image sizes and K classes): channels and K are read from the
        /// weights' shapes, the image size from fc1's (see <see cref="InitCnnImportOptions.ImageHeight"/>).
        /// </summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="path">A file written by <c>torch.save(net.state_dict(), path)</c>.</param>
        /// <param name="options">Columns, image size, normalization and class names; null for the defaults.</param>
        /// <returns>The transformer (Score and PredictedLabel as for a trained one; its history is empty and its
        /// initializers read <c>imported</c>).</returns>
        /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
        /// <exception cref="InvalidDataException">The file is not such a state dict (a parameter is missing, extra, of
        /// a shape that does not fit, or not finite; fewer than 2 classes; weights that overflow float32 on a probe batch
        /// of 4 images; the message names the file and the parameter), a zip entry is damaged (CRC-32 or sizes disagree;
        /// the message names the file and the entry), or its pickle holds
        /// anything <c>torch.save</c> of a state dict does not write (another Python global, a storage larger than
        /// its entry, …), checked before anything is unpickled.</exception>
        public static InitCnnTransformer ImportInitCnn(this ModelOperationsCatalog catalog, string path, InitCnnImportOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentException.ThrowIfNullOrEmpty(path);
            using var stream = File.OpenRead(path);
            try
            {
                return catalog.ImportInitCnn(stream, options);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{path}': {e.Message}", e);
            }
        }

        /// <summary>Creates a transformer from a PyTorch state dict read from a stream.</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="stream">A readable, seekable stream (left open).</param>
        /// <param name="options">Columns, image size, normalization and class names; null for the defaults.</param>
        /// <returns>The transformer.</returns>
        /// <exception cref="ArgumentException">The stream is not readable and seekable, or a normalization option is
        /// not finite (std not &gt; 0).</exception>
        /// <exception cref="InvalidDataException">The stream is not such a state dict.</exception>
        public static InitCnnTransformer ImportInitCnn(this ModelOperationsCatalog catalog, Stream stream, InitCnnImportOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(stream);
            options ??= new InitCnnImportOptions();
            if (!float.IsFinite(options.NormalizationMean) || !float.IsFinite(options.NormalizationStd) || !(options.NormalizationStd > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture,
                    $"InitCnnImportOptions.NormalizationMean must be finite and NormalizationStd finite and > 0; got {options.NormalizationMean} and {options.NormalizationStd}."));
            }
            TorchRuntime.EnsureInitialized();
            StateDictPickleCheck.Check(stream);
            var tensors = Read(stream);
            try
            {
                var shape = ShapeOf(tensors, options);
                var network = NetworkState.Create(shape, tensors, ConvolutionPathSelector.Current.Path);
                try
                {
                    ImportProbe.Check((MnistCnn)network, options.NormalizationMean, options.NormalizationStd);
                }
                catch
                {
                    network.Dispose();
                    throw;
                }
                var imported = new Persistence.RecordedInitializer("imported");
                var settings = new TrainingSettings { Initialization = new Initializers.InitializerPlan(imported, imported) };
                var columns = new InitCnnTrainer.Options
                {
                    FeatureColumnName = options.FeatureColumnName,
                    ScoreColumnName = options.ScoreColumnName,
                    PredictedLabelColumnName = options.PredictedLabelColumnName,
                    NormalizationMean = options.NormalizationMean,
                    NormalizationStd = options.NormalizationStd,
                };
                return InitCnnTrainer.CreateModel(MLNetAccess.EnvironmentOf(catalog), columns, network, Array.Empty<EpochMetrics>(),
                    settings, KeyValues(shape.Classes, options.ClassNames));
            }
            finally
            {
                foreach (var tensor in tensors.Values)
                {
                    tensor.Dispose();
                }
            }
        }

        private static Dictionary<string, Tensor> Read(Stream stream)
        {
            Hashtable table;
            try
            {
                table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
            }
            catch (Exception e) when (e is not IOException)
            {
                throw new InvalidDataException("The file is not a PyTorch state dict (torch.save(net.state_dict(), path)): " + e.Message, e);
            }
            var result = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is string name && entry.Value is Tensor tensor)
                {
                    result[name] = tensor;
                }
            }
            return result;
        }

        private static ImageShape ShapeOf(IReadOnlyDictionary<string, Tensor> tensors, InitCnnImportOptions options)
        {
            var conv1 = Get(tensors, "conv1.weight", 4);
            var fc1 = Get(tensors, "fc1.weight", 2);
            var fc2 = Get(tensors, "fc2.weight", 2);
            long pooled = fc1.shape[1] / 50;
            int height = options.ImageHeight, width = options.ImageWidth;
            if (height == 0)
            {
                int side = (int)Math.Round(Math.Sqrt(pooled));
                if (side * side != pooled || fc1.shape[1] % 50 != 0)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"fc1.weight has {fc1.shape[1]} inputs, not 50 × s × s for square images: give ImageHeight and ImageWidth in the options."));
                }
                height = 4 * side + 12; // the smallest side whose two conv + pool steps leave side
            }
            if (width == 0)
            {
                width = height;
            }
            if (fc2.shape[0] < 2)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"fc2.weight has shape [{fc2.shape[0]}, {fc2.shape[1]}]: {fc2.shape[0]} class, but a classifier needs at least 2 (fc2.weight [K, 500] with K ≥ 2)"));
            }
            return new ImageShape((int)conv1.shape[1], height, width, (int)fc2.shape[0]);
        }

        private static Tensor Get(IReadOnlyDictionary<string, Tensor> tensors, string name, int rank)
        {
            if (!tensors.TryGetValue(name, out var tensor) || tensor.dim() != rank)
            {
                throw new InvalidDataException(
                    $"The state dict has no {rank}-D '{name}'; expected the parameters of PyTorch's MNIST Net (conv1, conv2, fc1, fc2). Found: {string.Join(", ", tensors.Keys)}.");
            }
            return tensor;
        }

        private static DataViewSchema.Annotations KeyValues(int classes, string[]? names)
        {
            var builder = new DataViewSchema.Annotations.Builder();
            if (names is null)
            {
                var values = Enumerable.Range(0, classes).Select(i => (uint)i).ToArray();
                builder.Add(ScoringSchema.KeyValues, new VectorDataViewType(NumberDataViewType.UInt32, classes),
                    (ref VBuffer<uint> value) => value = new VBuffer<uint>(classes, values));
                return builder.ToAnnotations();
            }
            if (names.Length != classes)
            {
                throw new ArgumentOutOfRangeException(nameof(names), string.Create(CultureInfo.InvariantCulture,
                    $"ClassNames has {names.Length} names; the state dict has {classes} classes."));
            }
            var texts = names.Select(n => n.AsMemory()).ToArray();
            builder.Add(ScoringSchema.KeyValues, new VectorDataViewType(TextDataViewType.Instance, classes),
                (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(classes, texts));
            return builder.ToAnnotations();
        }
    }
}
