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
        /// <exception cref="InvalidDataException">The InitCnn part of the zip is damaged.</exception>
        /// <exception cref="NotSupportedException">The zip was written by a newer format version.</exception>
        public static ITransformer LoadInitCnn(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentException.ThrowIfNullOrEmpty(filePath);
            return catalog.RestoreInitCnn(catalog.Load(filePath, out inputSchema));
        }

        /// <summary>Loads a model zip from a stream, restoring each InitCnn model in it as an
        /// <see cref="InitCnnTransformer"/>.</summary>
        /// <param name="catalog">The model catalog, <c>mlContext.Model</c>.</param>
        /// <param name="stream">A readable, seekable stream holding the zip.</param>
        /// <param name="inputSchema">The input schema saved with the model.</param>
        /// <returns>The model.</returns>
        /// <exception cref="InvalidDataException">The InitCnn part of the zip is damaged.</exception>
        /// <exception cref="NotSupportedException">The zip was written by a newer format version.</exception>
        public static ITransformer LoadInitCnn(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(stream);
            return catalog.RestoreInitCnn(catalog.Load(stream, out inputSchema));
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
