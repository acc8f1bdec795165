using System;
using System.IO;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Trainers;

namespace Microsoft.ML.WeightInit.Persistence
{
    /// <summary>
    /// Loads ML.NET model zips holding InitCnn models back as <see cref="InitCnnTransformer"/>s: extension methods on
    /// <c>mlContext.Model</c>.
    /// </summary>
    /// <remarks>
    /// <para>Save with ML.NET as usual: <c>mlContext.Model.Save(model, trainData.Schema, "model.zip")</c>. Any app
    /// that references this package can load the zip with plain <c>mlContext.Model.Load</c>: it then gets a chain of
    /// ML.NET transformers (a lookup holding the weights and custom mappings that score with them) that scores
    /// bit for bit like the trained model, with these limits: the InitCnn transformer and its properties
    /// (<c>Model.History</c>, initializers, …) are not there, Score loses its slot names, and only models of 2 to 10
    /// classes can be saved. <see cref="LoadInitCnn(ModelOperationsCatalog, string, out DataViewSchema)"/> loads the
    /// same zip with every InitCnn part restored as the <see cref="InitCnnTransformer"/> it was.</para>
    /// <para>The InitCnn part of a zip carries a format version (1 for this release); later releases read every
    /// earlier version, and a zip written by a newer release fails to load with a message that says so.</para>
    /// </remarks>
    public static class InitCnnModelOperations
    {
        /// <summary>The version of the InitCnn model format this library writes (and the newest it reads).</summary>
        public const int FormatVersion = ModelFormat.Version;

        /// <summary>Loads a model zip written by <c>mlContext.Model.Save</c>, restoring each InitCnn model in it as an
        /// <see cref="InitCnnTransformer"/> (options, initializer text forms, per-epoch history).</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="filePath">Path of the zip.</param>
        /// <param name="inputSchema">The input schema saved with the model.</param>
        /// <returns>The model: the saved chain, with InitCnn transformers in place of their saved form.</returns>
        /// <exception cref="FileNotFoundException">No file at <paramref name="filePath"/>.</exception>
        /// <exception cref="InvalidDataException">The file is not a complete model zip (empty, truncated, not a zip), or
        /// its InitCnn part is damaged or invalid; the message names the file.</exception>
        /// <exception cref="NotSupportedException">The zip was written by a newer format version.</exception>
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
            try
            {
                return catalog.RestoreInitCnn(catalog.Load(filePath, out inputSchema));
            }
            catch (Exception e) when (e is FormatException or InvalidDataException)
            {
                throw new InvalidDataException($"Model file '{filePath}' cannot be loaded: {Describe(e)}", e);
            }
            catch (InvalidOperationException e) when (e.Message.Contains("legacy format", StringComparison.Ordinal))
            {
                // A zip, but not one ML.NET wrote (e.g. a PyTorch .pt file): ML.NET reports it as a "legacy format model".
                throw new InvalidDataException($"Model file '{filePath}' is a zip but not an ML.NET model (ML.NET: {e.Message}). " +
                    "A PyTorch state dict loads with mlContext.Model.ImportInitCnn.", e);
            }
            catch (NotSupportedException e)
            {
                throw new NotSupportedException($"Model file '{filePath}': {e.Message}", e);
            }
        }

        /// <summary>Loads a model zip from a stream, restoring each InitCnn model in it as an
        /// <see cref="InitCnnTransformer"/>.</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="stream">A readable, seekable stream holding the zip.</param>
        /// <param name="inputSchema">The input schema saved with the model.</param>
        /// <returns>The model.</returns>
        /// <exception cref="InvalidDataException">The stream is not a complete model zip, or its InitCnn part is damaged.</exception>
        /// <exception cref="NotSupportedException">The zip was written by a newer format version.</exception>
        public static ITransformer LoadInitCnn(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(stream);
            try
            {
                return catalog.RestoreInitCnn(catalog.Load(stream, out inputSchema));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"The model stream cannot be loaded: {Describe(e)}", e);
            }
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
        /// <exception cref="NotSupportedException">The model cannot be saved (the old file is then left as it was).</exception>
        public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema? inputSchema, string filePath)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(model);
            ArgumentException.ThrowIfNullOrEmpty(filePath);
            IO.AtomicFile.Write(filePath, stream => catalog.Save(model, inputSchema, stream));
        }

        /// <summary>ML.NET's message and its causes' ("Failed to open a zip archive" alone does not say why).</summary>
        private static string Describe(Exception e)
        {
            var messages = new System.Collections.Generic.List<string>();
            for (Exception? x = e; x is not null; x = x.InnerException)
            {
                string message = x.Message.TrimEnd('.');
                if (!messages.Contains(message))
                {
                    messages.Add(message);
                }
            }
            return string.Join(": ", messages) + ".";
        }

        /// <summary>Turns the saved form of every InitCnn model inside a model already loaded with
        /// <c>mlContext.Model.Load</c> back into an <see cref="InitCnnTransformer"/>.</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="model">The loaded model.</param>
        /// <returns>The same model if it holds no InitCnn model, else a new chain with the restored transformers.</returns>
        public static ITransformer RestoreInitCnn(this ModelOperationsCatalog catalog, ITransformer model)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(model);
            return ChainRestorer.Restore(MLNetAccess.EnvironmentOf(catalog), model);
        }
    }
}
