using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Scoring;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Loads ML.NET model zips holding InitCnn models back as <see cref="InitCnnTransformer"/>s: extension methods on
    /// <c>mlContext.Model</c>.
    /// </summary>
    /// <remarks>
    /// <para>Save with ML.NET as usual: <c>mlContext.Model.Save(model, trainData.Schema, "model.zip")</c>. The InitCnn
    /// part is saved as built-in ML.NET transformers around the network's ONNX graph, so any app that references
    /// Microsoft.ML, Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime (not this package, not TorchSharp) loads
    /// it with plain <c>mlContext.Model.Load</c> and scores bit for bit like the trained model, for any number of
    /// classes; PredictedLabel keeps the label's key values (Score has no slot names there).
    /// <see cref="LoadInitCnn(ModelOperationsCatalog, string, out DataViewSchema)"/> loads the same zip with every
    /// InitCnn part restored as the <see cref="InitCnnTransformer"/> it was (options, initializers, history).</para>
    /// <para>The InitCnn part carries a format version (<see cref="FormatVersion"/>); a zip of another version fails to
    /// load with a message that names the version and what to do.</para>
    /// </remarks>
    public static class InitCnnModelOperations
    {
        /// <summary>The version of the InitCnn model format this library writes and reads (2: ONNX; 1 was release
        /// 0.1.0's base64 blob, no longer read).</summary>
        public const int FormatVersion = OnnxFormat.Version;

        /// <summary>Loads a model zip written by <c>mlContext.Model.Save</c>, restoring each InitCnn model in it as an
        /// <see cref="InitCnnTransformer"/> (options, initializer text forms, per-epoch history). Every entry of the zip
        /// is checked (CRC-32, sizes) and each InitCnn model against its own contract (format version, class count,
        /// weight shapes, graph) before it is used.</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="filePath">Path of the zip.</param>
        /// <param name="inputSchema">The input schema saved with the model.</param>
        /// <returns>The model: the saved chain, with InitCnn transformers in place of their saved form.</returns>
        /// <exception cref="FileNotFoundException">No file at <paramref name="filePath"/>, or a directory.</exception>
        /// <exception cref="InvalidDataException">The file is not a complete model zip (empty, truncated, not a zip, an
        /// entry damaged), or its InitCnn part is damaged or invalid; the message names the file (and the entry).</exception>
        /// <exception cref="NotSupportedException">The zip holds an InitCnn model of another format version (named).</exception>
        public static ITransformer LoadInitCnn(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentException.ThrowIfNullOrEmpty(filePath);
            if (Directory.Exists(filePath))
            {
                throw new FileNotFoundException($"Model file '{filePath}' is a directory; expected a model zip.", filePath);
            }
            if (!File.Exists(filePath))
            {
                throw new FileNotFoundException($"Model file not found: '{filePath}'.", filePath);
            }
            return Load(catalog, File.ReadAllBytes(filePath), $"Model file '{filePath}'", out inputSchema);
        }

        /// <summary>Loads a model zip from a stream, restoring each InitCnn model in it as an
        /// <see cref="InitCnnTransformer"/> (checked as <see cref="LoadInitCnn(ModelOperationsCatalog, string, out DataViewSchema)"/>).</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="stream">A readable stream holding the zip (read to its end).</param>
        /// <param name="inputSchema">The input schema saved with the model.</param>
        /// <returns>The model.</returns>
        /// <exception cref="InvalidDataException">The stream is not a complete model zip, or its InitCnn part is damaged.</exception>
        /// <exception cref="NotSupportedException">The zip holds an InitCnn model of another format version.</exception>
        public static ITransformer LoadInitCnn(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(stream);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Load(catalog, copy.ToArray(), "The model stream", out inputSchema);
        }

        /// <summary>
        /// Saves like <c>mlContext.Model.Save(model, inputSchema, filePath)</c>, but never leaves a partial zip: ML.NET
        /// writes the file in place, so a failure (e.g. a model that cannot be saved) or a kill part-way destroys the
        /// file that was there; this writes a temporary file beside it and renames it over <paramref name="filePath"/>
        /// once complete.
        /// </summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="model">The model to save.</param>
        /// <param name="inputSchema">The schema of its input, saved with it (may be null).</param>
        /// <param name="filePath">The zip to create or replace.</param>
        /// <exception cref="IOException">The file cannot be written (e.g. <paramref name="filePath"/> is a directory).</exception>
        /// <exception cref="ObjectDisposedException">The model was disposed (the old file is then left as it was).</exception>
        public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(model);
            ArgumentException.ThrowIfNullOrEmpty(filePath);
            IO.AtomicFile.Write(filePath, stream => catalog.Save(model, inputSchema, stream));
        }

        /// <summary>Turns the saved form of every InitCnn model inside a model already loaded with
        /// <c>mlContext.Model.Load</c> back into an <see cref="InitCnnTransformer"/> (the model is saved to memory and
        /// read back as by <see cref="LoadInitCnn(ModelOperationsCatalog, string, out DataViewSchema)"/>).</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="model">The loaded model.</param>
        /// <returns>The same model if it holds no InitCnn model, else a new chain with the restored transformers.</returns>
        public static ITransformer RestoreInitCnn(this ModelOperationsCatalog catalog, ITransformer model)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(model);
            if (!Chains(model).Any())
            {
                return model;
            }
            using var stream = new MemoryStream();
            catalog.Save(model, null, stream);
            var models = new Queue<ZippedOnnxModel>(ModelZip.Read(stream.ToArray(), "The model"));
            return Replace(MLNetAccess.EnvironmentOf(catalog), model, models, "The model");
        }

        private static ITransformer Load(ModelOperationsCatalog catalog, byte[] zip, string where, out DataViewSchema inputSchema)
        {
            var models = new Queue<ZippedOnnxModel>(ModelZip.Read(zip, where));
            ITransformer loaded;
            try
            {
                loaded = catalog.Load(new MemoryStream(zip, writable: false), out inputSchema);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var cause = Root(e);
                throw new InvalidDataException($"{where} cannot be loaded as an ML.NET model: {cause.GetType().Name}: {cause.Message}", e);
            }
            return Replace(MLNetAccess.EnvironmentOf(catalog), loaded, models, where);
        }

        /// <summary>The innermost cause, past reflection and ML.NET's wrappers.</summary>
        private static Exception Root(Exception e)
        {
            var x = e;
            while (x.InnerException is not null)
            {
                x = x.InnerException;
            }
            return x;
        }

        /// <summary>Replaces each saved InitCnn chain (depth-first, in the order of the zip's ONNX entries) by the
        /// transformer restored from its ONNX model.</summary>
        private static ITransformer Replace(IHostEnvironment environment, ITransformer model, Queue<ZippedOnnxModel> models, string where)
        {
            int expected = models.Count;
            var result = Replace(environment, model, models, where, out int found);
            if (found != expected || models.Count != 0)
            {
                throw new InvalidDataException($"{where} holds {expected} InitCnn ONNX model(s) but its chain has {found} InitCnn scoring chain(s); the zip was edited or damaged.");
            }
            return result;
        }

        private static ITransformer Replace(IHostEnvironment environment, ITransformer model, Queue<ZippedOnnxModel> models, string where, out int found)
        {
            found = 0;
            if (IsScoringChain(model))
            {
                found = 1;
                return models.TryDequeue(out var next) ? Restore(environment, next, where, model) : model;
            }
            if (model is not IEnumerable<ITransformer> chain)
            {
                return model;
            }
            var parts = chain.ToList();
            var restored = new ITransformer[parts.Count];
            for (int i = 0; i < parts.Count; i++)
            {
                restored[i] = Replace(environment, parts[i], models, where, out int inPart);
                found += inPart;
            }
            return restored.SequenceEqual(parts) ? model : new TransformerChain<ITransformer>(restored);
        }

        private static IEnumerable<ITransformer> Chains(ITransformer model) =>
            IsScoringChain(model) ? new[] { model } : model is IEnumerable<ITransformer> chain ? chain.SelectMany(Chains) : Array.Empty<ITransformer>();

        /// <summary>The shape of <see cref="Scoring.ScoringChain"/> once loaded.</summary>
        private static bool IsScoringChain(ITransformer model) =>
            model is IEnumerable<ITransformer> chain && chain.ToList() is { Count: Scoring.ScoringChain.Parts } parts
            && parts[0] is OnnxTransformer && parts[1] is HashingTransformer && parts[2] is TypeConvertingTransformer
            && parts[3] is ValueMappingTransformer && parts[4] is ValueToKeyMappingTransformer && parts[5] is ColumnSelectingTransformer;

        private static InitCnnTransformer Restore(IHostEnvironment environment, ZippedOnnxModel zipped, string where, ITransformer savedChain)
        {
            var c = zipped.Contents;
            var m = c.Metadata;
            CheckFitsChain(savedChain, c, $"{where}, entry '{zipped.Entry}'");
            ClassifierNetwork network;
            try
            {
                network = NetworkState.Create(c.Shape, c.Tensors, ConvolutionPathSelector.Current.Path, c.Architecture, c.Metadata.BatchCounts);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{where}, entry '{zipped.Entry}': {e.Message}", e);
            }
            var parameters = new InitCnnModelParameters(network, m.Normalization.Mean, m.Normalization.Std, m.History,
                ModelSnapshot.Settings(m, c.InitializationPlan), m.LabelKeyValues.ToAnnotations());
            return new InitCnnTransformer(environment, parameters, m.Columns.Features, m.Columns.Score, m.Columns.PredictedLabel,
                c.ForMLNet ? c.Bytes : null);
        }
    
        /// <summary>
        /// The ONNX model must be the one its chain was saved with: the chain's PredictedLabel key (the saved MapValue →
        /// MapValueToKey of the label's key values) must have the model's class count and key values. An ONNX entry
        /// swapped in from another model carries self-consistent metadata, so only this comparison finds it.
        /// </summary>
        /// <exception cref="InvalidDataException">The model does not fit its chain (names the entry).</exception>
        private static void CheckFitsChain(ITransformer savedChain, OnnxModelContents c, string where)
        {
            var m = c.Metadata;
            var input = new DataViewSchema.Builder();
            input.AddColumn(m.Columns.Features, new VectorDataViewType(NumberDataViewType.Single, c.Shape.FeatureCount));
            DataViewSchema output;
            try
            {
                output = savedChain.GetOutputSchema(input.ToSchema());
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{where}: the ONNX model does not fit the zip's scoring chain ({e.Message}); the entry was swapped from another model or damaged.", e);
            }
            var predicted = output.GetColumnOrNull(m.Columns.PredictedLabel);
            ulong chainClasses = predicted?.Type is KeyDataViewType key ? key.Count : 0;
            var chainValues = predicted is { } column ? LabelKeyValues.From(column.Annotations, (int)chainClasses)?.Values : null;
            if (chainClasses != (ulong)c.Shape.Classes || chainValues is null || !chainValues.SequenceEqual(m.LabelKeyValues.Values))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: the ONNX model has {c.Shape.Classes} classes ({string.Join(", ", m.LabelKeyValues.Values.Take(12))}) but the zip's scoring chain maps {chainClasses} ({string.Join(", ", (chainValues ?? Array.Empty<string>()).Take(12))}); the entry was swapped from another model or damaged."));
            }
        }
}
}
