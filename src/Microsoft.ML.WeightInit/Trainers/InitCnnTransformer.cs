using System;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.WeightInit.Persistence;
using Microsoft.ML.WeightInit.Scoring;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>
    /// A trained InitCnn network as an ML.NET transformer: appends <c>Score</c> (K class probabilities) and
    /// <c>PredictedLabel</c> (a key with the training label's key values) to rows with the feature column.
    /// </summary>
    /// <remarks>
    /// <c>Transform</c> scores lazily, in batches of 256 rows, as the result is read. One transformer may be used from
    /// several threads at once (each cursor and each <c>PredictionEngine</c> holds its own buffers); a
    /// <c>PredictionEngine</c> itself is not thread-safe, as everywhere in ML.NET: create one per thread.
    /// </remarks>
    public sealed class InitCnnTransformer : ISingleFeaturePredictionTransformer<InitCnnModelParameters>, IDisposable
    {
        private readonly IHostEnvironment _environment;
        private readonly CnnScorer _scorer;

        internal InitCnnTransformer(IHostEnvironment environment, InitCnnModelParameters model, string featureColumnName,
            string scoreColumnName, string predictedLabelColumnName)
        {
            _environment = environment;
            Model = model;
            FeatureColumnName = featureColumnName;
            ScoreColumnName = scoreColumnName;
            PredictedLabelColumnName = predictedLabelColumnName;
            FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.ImageShape.FeatureCount);
            _scorer = new CnnScorer(model.Network, model.NormalizationMean, model.NormalizationStd, model.ThrowIfDisposed);
        }

        /// <summary>The trained model.</summary>
        public InitCnnModelParameters Model { get; }

        /// <summary>Name of the feature column read.</summary>
        public string FeatureColumnName { get; }

        /// <summary>Type of the feature column: a vector of C·H·W Single.</summary>
        public DataViewType FeatureColumnType { get; }

        /// <summary>Name of the Score output column.</summary>
        public string ScoreColumnName { get; }

        /// <summary>Name of the PredictedLabel output column.</summary>
        public string PredictedLabelColumnName { get; }

        /// <summary>True: the transformer maps row by row (PredictionEngine works).</summary>
        public bool IsRowToRowMapper => true;

        /// <summary>The input schema plus Score and PredictedLabel.</summary>
        /// <param name="inputSchema">Schema of the data to score.</param>
        /// <returns>The output schema.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or of the wrong type/size.</exception>
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateSchema(inputSchema).Output;

        /// <summary>Appends Score and PredictedLabel to <paramref name="input"/> (computed when read).</summary>
        /// <param name="input">Rows with the feature column.</param>
        /// <returns>The scored data view.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or of the wrong type/size.</exception>
        public IDataView Transform(IDataView input)
        {
            ArgumentNullException.ThrowIfNull(input);
            return new ScoredDataView(input, CreateSchema(input.Schema), _scorer, FeatureColumnName);
        }

        /// <summary>A row mapper for <paramref name="inputSchema"/> (used by PredictionEngine).</summary>
        /// <param name="inputSchema">Schema of the rows to map.</param>
        /// <returns>The mapper.</returns>
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
            new ScoringRowMapper(CreateSchema(inputSchema), _scorer, FeatureColumnName);

        /// <summary>
        /// Saves into an ML.NET model zip (<c>mlContext.Model.Save</c>) as an equivalent chain of ML.NET transformers
        /// that holds the weights and metadata; <c>mlContext.Model.Load</c> gives that chain back, and
        /// <see cref="InitCnnModelOperations.LoadInitCnn(ModelOperationsCatalog, string, out DataViewSchema)"/> this
        /// transformer. See <see cref="InitCnnModelOperations"/> for the limits.
        /// </summary>
        /// <param name="ctx">ML.NET's save context.</param>
        /// <exception cref="NotSupportedException">The model has more than 10 classes.</exception>
        /// <exception cref="ObjectDisposedException">The model was disposed (its weights are gone: nothing to save).</exception>
        void ICanSaveModel.Save(ModelSaveContext ctx)
        {
            Model.ThrowIfDisposed();
            ((ICanSaveModel)SaveChain.Build(_environment as MLContext ?? new MLContext(), this)).Save(ctx);
        }

        /// <summary>Frees the network's native memory.</summary>
        public void Dispose() => Model.Dispose();

        private ScoringSchema CreateSchema(DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            Model.ThrowIfDisposed();
            var column = inputSchema.GetColumnOrNull(FeatureColumnName);
            int size = Model.ImageShape.FeatureCount;
            if (column is null)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The input has no feature column '{FeatureColumnName}'. Columns: {InputColumns.Available(inputSchema)}.");
            }
            if (column.Value.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || vector.Size != size)
            {
                throw new ArgumentOutOfRangeException(nameof(inputSchema),
                    $"Feature column '{FeatureColumnName}' is {column.Value.Type}; the model expects a vector of {size} Single.");
            }
            return ScoringSchema.Create(inputSchema, ScoreColumnName, PredictedLabelColumnName, Model.ImageShape.Classes, Model.LabelAnnotations);
        }
    }
}
