using System;
using System.IO;
using System.Threading;
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
    /// Scoring runs the network's ONNX graph (<see cref="InitCnnModelParameters.ExportOnnx(string)"/>) in ONNX Runtime,
    /// through the same chain of ML.NET transformers (<c>ApplyOnnxModel</c>, <c>MapValue</c>, <c>MapValueToKey</c>)
    /// that <c>mlContext.Model.Save</c> writes, so a saved and loaded model scores bit for bit as this one. The graph is
    /// taken from the network's weights when the transformer first scores or saves. Rows are scored one by one, as
    /// they are read; a row whose feature values are not all finite is an <see cref="InvalidDataException"/> naming the
    /// row. One transformer may be used from several threads at once; a <c>PredictionEngine</c> is not thread-safe, as
    /// everywhere in ML.NET: create one per thread.
    /// </remarks>
    public sealed class InitCnnTransformer : ISingleFeaturePredictionTransformer<InitCnnModelParameters>, IDisposable
    {
        private readonly MLNetCatalogs _mlContext;
        private readonly Lazy<byte[]> _onnxModel;
        private readonly Lazy<TransformerChain<ITransformer>> _scoring;
        private readonly FiniteFeatures _finite;

        internal InitCnnTransformer(IHostEnvironment environment, InitCnnModelParameters model, string featureColumnName,
            string scoreColumnName, string predictedLabelColumnName, byte[]? onnxModel = null)
        {
            _mlContext = MLNetAccess.CatalogsOf(environment);
            Model = model;
            FeatureColumnName = featureColumnName;
            ScoreColumnName = scoreColumnName;
            PredictedLabelColumnName = predictedLabelColumnName;
            FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.ImageShape.FeatureCount);
            _onnxModel = onnxModel is null
                ? new Lazy<byte[]>(() => ModelSnapshot.Bytes(ModelSnapshot.Export(Model, Columns, forMLNet: true)), LazyThreadSafetyMode.ExecutionAndPublication)
                : new Lazy<byte[]>(onnxModel);
            _scoring = new Lazy<TransformerChain<ITransformer>>(() => ScoringChain.Fit(_mlContext, _onnxModel.Value, Columns,
                LabelKeyValues.From(Model.LabelAnnotations, Model.ImageShape.Classes) ?? LabelKeyValues.Indices(Model.ImageShape.Classes),
                Model.ImageShape.FeatureCount), LazyThreadSafetyMode.ExecutionAndPublication);
            _finite = new FiniteFeatures(featureColumnName, model.ThrowIfDisposed);
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

        /// <summary>The ONNX model this transformer scores with and saves (the graph for ML.NET's row-by-row scoring).</summary>
        internal byte[] OnnxModel => _onnxModel.Value;

        internal ColumnsRecord Columns => new() { Features = FeatureColumnName, Score = ScoreColumnName, PredictedLabel = PredictedLabelColumnName };

        /// <summary>The input schema plus Score and PredictedLabel.</summary>
        /// <param name="inputSchema">Schema of the data to score.</param>
        /// <returns>The output schema.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or of the wrong type/size.</exception>
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            CheckInput(inputSchema);
            return Scoring.GetOutputSchema(inputSchema);
        }

        /// <summary>Appends Score and PredictedLabel to <paramref name="input"/> (computed when read).</summary>
        /// <param name="input">Rows with the feature column.</param>
        /// <returns>The scored data view.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or of the wrong type/size.</exception>
        /// <exception cref="InvalidDataException">When read: a row's feature values are not all finite (names the row).</exception>
        public IDataView Transform(IDataView input)
        {
            ArgumentNullException.ThrowIfNull(input);
            CheckInput(input.Schema);
            return Scoring.Transform(_finite.Wrap(input));
        }

        /// <summary>A row mapper for <paramref name="inputSchema"/> (used by PredictionEngine).</summary>
        /// <param name="inputSchema">Schema of the rows to map.</param>
        /// <returns>The mapper.</returns>
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        {
            CheckInput(inputSchema);
            return _finite.Wrap(((ITransformer)Scoring).GetRowToRowMapper(inputSchema));
        }

        /// <summary>
        /// Saves into an ML.NET model zip (<c>mlContext.Model.Save</c>) as the chain of built-in ML.NET transformers it
        /// scores with (ONNX graph, label lookup, key mapping); <c>mlContext.Model.Load</c> gives that chain back in any
        /// app that references Microsoft.ML, Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime, and
        /// <see cref="InitCnnModelOperations.LoadInitCnn(ModelOperationsCatalog, string, out DataViewSchema)"/> this
        /// transformer.
        /// </summary>
        /// <param name="ctx">ML.NET's save context.</param>
        /// <exception cref="ObjectDisposedException">The model was disposed (its weights are gone: nothing to save).</exception>
        void ICanSaveModel.Save(ModelSaveContext ctx)
        {
            Model.ThrowIfDisposed();
            ((ICanSaveModel)Scoring).Save(ctx);
        }

        /// <summary>Frees the network's native memory and the ONNX Runtime session.</summary>
        public void Dispose()
        {
            Model.Dispose();
            if (_scoring.IsValueCreated)
            {
                _scoring.Value.Dispose();
            }
        }

        private TransformerChain<ITransformer> Scoring
        {
            get
            {
                Model.ThrowIfDisposed();
                return _scoring.Value;
            }
        }

        private void CheckInput(DataViewSchema inputSchema)
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
        }
    }
}
