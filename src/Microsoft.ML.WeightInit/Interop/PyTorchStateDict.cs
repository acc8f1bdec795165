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
    /// <c>net.load_state_dict(torch.load(path))</c>), both ways, through TorchSharp.PyBridge; float32. The names and
    /// shapes are the architecture's (<see cref="NetworkArchitecture"/>). The seed net (<c>mnist_net</c>) has those of
    /// PyTorch's MNIST example <c>Net</c>: <c>conv1.weight</c> [20, C, 5, 5], <c>conv1.bias</c> [20],
    /// <c>conv2.weight</c> [50, 20, 5, 5], <c>conv2.bias</c> [50], <c>fc1.weight</c> [500, 50·h·w], <c>fc1.bias</c>
    /// [500], <c>fc2.weight</c> [K, 500], <c>fc2.bias</c> [K]. The deep architectures have <c>layers.{i}.weight</c>
    /// and <c>layers.{i}.bias</c> for i = 0 … depth − 1, those of a PyTorch module whose <c>self.layers</c> is an
    /// <c>nn.ModuleList</c> of the parameterized layers: <c>mlp</c> <c>nn.Linear</c> layers ([width, C·H·W], then
    /// [width, width], the last [K, width]); <c>plain_cnn</c> <c>nn.Conv2d(in, out, 3, padding=1)</c> layers
    /// ([out, in, 3, 3]) and a last <c>nn.Linear</c> [K, channels of the last stage (4·width from depth 4 on)]; the
    /// activations and pooling are functions in its <c>forward</c>, as in <see cref="NetworkArchitecture"/>'s layout.
    /// </summary>
    /// <remarks>
    /// The file holds weights only: PyTorch's module takes images normalized as in training
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
        /// Creates a transformer from a PyTorch state dict of <see cref="InitCnnImportOptions.Architecture"/>: by default
        /// the MNIST example's <c>Net</c> (or the same architecture with C input channels, other image sizes and K
        /// classes), e.g. <c>new InitCnnImportOptions { Architecture = NetworkArchitecture.Parse("mlp(depth=30,
        /// width=256, activation=relu)") }</c> for a deep one. Channels and K are read from the first and last layers'
        /// weights, the image size from fc1's (seed net) or layers.0's (<c>mlp</c>), or taken from the options (see
        /// <see cref="InitCnnImportOptions.ImageHeight"/>); every tensor is then checked against the architecture's
        /// names and shapes.
        /// </summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="path">A file written by <c>torch.save(net.state_dict(), path)</c>.</param>
        /// <param name="options">Columns, image size, normalization and class names; null for the defaults.</param>
        /// <returns>The transformer (Score and PredictedLabel as for a trained one; its history is empty and its
        /// initializers read <c>imported</c>).</returns>
        /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
        /// <exception cref="ArgumentException">An option is out of range or missing: the architecture hides the image size
        /// (<c>plain_cnn</c>) and <see cref="InitCnnImportOptions.ImageHeight"/> is 0 (<c>ParamName</c>
        /// <c>ImageHeight</c>).</exception>
        /// <exception cref="InvalidDataException">The file is not a state dict of the architecture (a parameter is
        /// missing, extra, of a shape that does not fit, or not finite; the image size cannot be inferred; fewer than 2
        /// classes; weights that overflow float32 on a probe batch of 4 images; the message names the file, the
        /// parameter, the shape expected and the architecture), a zip entry is damaged (CRC-32 or sizes disagree;
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
        /// <exception cref="ArgumentException">The stream is not readable and seekable, a normalization option is not
        /// finite (std not &gt; 0), <see cref="InitCnnImportOptions.Architecture"/> is null, or the image size is needed
        /// and not given (<see cref="InitCnnImportOptions.ImageHeight"/>).</exception>
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
            var architecture = options.Architecture ?? throw new ArgumentNullException(nameof(InitCnnImportOptions.Architecture), "InitCnnImportOptions.Architecture is null; the default is NetworkArchitecture.MnistNet.");
            TorchRuntime.EnsureInitialized();
            StateDictPickleCheck.Check(stream);
            var tensors = Read(stream);
            try
            {
                var shape = StateDictShape.Of(architecture, tensors, options);
                var network = NetworkState.Create(shape, tensors, ConvolutionPathSelector.Current.Path, architecture);
                try
                {
                    ImportProbe.Check(network, options.NormalizationMean, options.NormalizationStd);
                }
                catch
                {
                    network.Dispose();
                    throw;
                }
                var imported = new Persistence.RecordedInitializer("imported");
                var settings = new TrainingSettings { Initialization = new Initializers.InitializerPlan(imported, imported), Architecture = architecture };
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
