using System;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>One evaluation split held as tensors (training and validation rows) plus the validation rows as a data
    /// view for ML.NET's Evaluate.</summary>
    internal sealed class TrialSplit : IDisposable
    {
        private TrialSplit(string key, TensorDataset train, TensorDataset validation, IDataView validationView)
        {
            Key = key;
            Train = train;
            Validation = validation;
            ValidationView = validationView;
        }

        /// <summary>Evaluation text form and fold.</summary>
        public string Key { get; }

        public TensorDataset Train { get; }

        public TensorDataset Validation { get; }

        public IDataView ValidationView { get; }

        public static string KeyOf(SweepEvaluation evaluation, int fold) => $"{evaluation.TextForm}/fold={fold}";

        /// <summary>Splits <paramref name="data"/> as <paramref name="evaluation"/> says and copies both sides into tensors.</summary>
        /// <exception cref="InvalidOperationException">A validation set is asked for and none was given, or a side has no rows.</exception>
        public static TrialSplit Create(MLContext mlContext, IDataView data, IDataView? validationSet, SweepEvaluation evaluation, int fold,
            InputColumns columns, ImageShape shape, TrialRunnerSettings settings)
        {
            IDataView train, validation;
            switch (evaluation.Kind)
            {
                case SweepEvaluationKind.Holdout:
                    var split = mlContext.Data.TrainTestSplit(data, evaluation.ValidationFraction, seed: evaluation.SplitSeed);
                    (train, validation) = (split.TrainSet, split.TestSet);
                    break;
                case SweepEvaluationKind.CrossValidation:
                    var folds = mlContext.Data.CrossValidationSplit(data, evaluation.NumberOfFolds, seed: evaluation.SplitSeed);
                    (train, validation) = (folds[fold].TrainSet, folds[fold].TestSet);
                    break;
                default:
                    (train, validation) = (data, validationSet ?? throw new InvalidOperationException(
                        "The sweep scores on a validation set (SweepEvaluation.ValidationSet) but the trial runner was given none."));
                    break;
            }
            var trainTensors = Tensors(train, "training", columns, shape, settings, evaluation, fold);
            try
            {
                var validationTensors = Tensors(validation, "validation", columns, shape, settings, evaluation, fold);
                return new TrialSplit(KeyOf(evaluation, fold), trainTensors, validationTensors, validation);
            }
            catch
            {
                trainTensors.Dispose();
                throw;
            }
        }

        /// <summary>One side of the split as tensors; an error (an empty side, above all) names the evaluation that made it.</summary>
        private static TensorDataset Tensors(IDataView rows, string side, InputColumns columns, ImageShape shape, TrialRunnerSettings settings,
            SweepEvaluation evaluation, int fold)
        {
            try
            {
                return TensorDataset.FromDataView(rows, columns, shape, settings.NormalizationMean, settings.NormalizationStd);
            }
            catch (InvalidOperationException e)
            {
                string where = evaluation.Kind == SweepEvaluationKind.CrossValidation ? $"{evaluation.TextForm}, fold {fold}" : evaluation.TextForm;
                throw new InvalidOperationException($"The {side} rows of {where}: {e.Message} Use a smaller validation fraction, fewer folds or more rows.", e);
            }
        }

        public void Dispose()
        {
            Train.Dispose();
            Validation.Dispose();
        }
    }
}
