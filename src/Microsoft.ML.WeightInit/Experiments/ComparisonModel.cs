using Microsoft.ML.Data;
using Microsoft.ML.WeightInit.Trainers;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>Wraps a network trained by <see cref="TrainingLoop"/> as an <see cref="InitCnnTransformer"/>, so that
    /// ML.NET's Evaluate can score it exactly as a fitted <see cref="InitCnnTrainer"/>.</summary>
    internal static class ComparisonModel
    {
        /// <summary>Creates the transformer; it owns (and disposes) <paramref name="outcome"/>'s network.</summary>
        public static InitCnnTransformer Create(MLContext mlContext, TrainingOutcome outcome, TrainingSettings settings,
            ComparisonOptions options, DataViewSchema.Annotations? labelAnnotations)
        {
            var model = new InitCnnModelParameters(outcome.Network, options.NormalizationMean, options.NormalizationStd,
                outcome.History, settings, labelAnnotations);
            return new InitCnnTransformer(mlContext, model, options.FeatureColumnName, ColumnNames.Score, ColumnNames.PredictedLabel);
        }
    }
}
