using System;
using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Initializers;

namespace Microsoft.ML.WeightInit.Trainers
{
    /// <summary>Adds <c>InitCnn</c> to <c>mlContext.MulticlassClassification.Trainers</c>.</summary>
    public static class InitCnnCatalog
    {
        /// <summary>
        /// Creates an <see cref="InitCnnTrainer"/>: the MNIST CNN trained on TorchSharp with a chosen initialization.
        /// </summary>
        /// <param name="catalog">The multiclass trainers catalog.</param>
        /// <param name="labelColumnName">Label column: a key type of K ≥ 2 values (use <c>MapValueToKey</c>).</param>
        /// <param name="featureColumnName">Feature column: a known-size vector of Single, C·H·W values (784 for MNIST,
        /// pixels in [0, 1]).</param>
        /// <param name="weightInitializer">Initializer of every weight; null is PyTorch's default reset.</param>
        /// <param name="biasInitializer">Initializer of every bias; null is PyTorch's default reset.</param>
        /// <param name="numberOfEpochs">Passes over the training data (default 5).</param>
        /// <param name="batchSize">Images per SGD step (default 64).</param>
        /// <param name="learningRate">SGD step size (default 0.01).</param>
        /// <param name="momentum">SGD momentum (default 0.5).</param>
        /// <param name="seed">Seed of initialization and shuffling (default 1).</param>
        /// <param name="validationSet">Data scored after each epoch into the model's history (default none).</param>
        /// <returns>The trainer.</returns>
        /// <example><code>
        /// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
        ///     .Append(mlContext.MulticlassClassification.Trainers.InitCnn(weightInitializer: new XavierUniformInitializer()))
        ///     .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        /// </code></example>
        public static InitCnnTrainer InitCnn(
            this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
            string labelColumnName = ColumnNames.Label,
            string featureColumnName = ColumnNames.Features,
            IWeightInitializer? weightInitializer = null,
            IWeightInitializer? biasInitializer = null,
            int numberOfEpochs = InitCnnTrainer.Defaults.NumberOfEpochs,
            int batchSize = InitCnnTrainer.Defaults.BatchSize,
            double learningRate = InitCnnTrainer.Defaults.LearningRate,
            double momentum = InitCnnTrainer.Defaults.Momentum,
            int seed = InitCnnTrainer.Defaults.Seed,
            IDataView? validationSet = null)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            return InitCnn(catalog, new InitCnnTrainer.Options
            {
                LabelColumnName = labelColumnName,
                FeatureColumnName = featureColumnName,
                WeightInitializer = weightInitializer ?? new PyTorchDefaultInitializer(),
                BiasInitializer = biasInitializer ?? new PyTorchDefaultInitializer(),
                NumberOfEpochs = numberOfEpochs,
                BatchSize = batchSize,
                LearningRate = learningRate,
                Momentum = momentum,
                Seed = seed,
                ValidationSet = validationSet,
            });
        }

        /// <summary>Creates an <see cref="InitCnnTrainer"/> with every option.</summary>
        /// <param name="catalog">The multiclass trainers catalog.</param>
        /// <param name="options">The options (see <see cref="InitCnnTrainer.Options"/>).</param>
        /// <returns>The trainer.</returns>
        public static InitCnnTrainer InitCnn(
            this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
            InitCnnTrainer.Options options)
        {
            ArgumentNullException.ThrowIfNull(catalog);
            ArgumentNullException.ThrowIfNull(options);
            return new InitCnnTrainer(MLNetAccess.EnvironmentOf(catalog), options);
        }
    }
}
