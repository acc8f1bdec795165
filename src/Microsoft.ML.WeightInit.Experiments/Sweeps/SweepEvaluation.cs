using System;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>How trials are scored: on a hold-out split of the training rows, by k-fold cross-validation
    /// (<c>mlContext.Data.CrossValidationSplit</c>), or on a validation set supplied with the data.</summary>
    /// <param name="Kind">The strategy.</param>
    /// <param name="ValidationFraction">Share of the training rows held out (<see cref="SweepEvaluationKind.Holdout"/>), in (0, 1).</param>
    /// <param name="NumberOfFolds">Folds (<see cref="SweepEvaluationKind.CrossValidation"/>), ≥ 2.</param>
    /// <param name="SplitSeed">Seed of the split (ML.NET's sampling column).</param>
    public sealed record SweepEvaluation(SweepEvaluationKind Kind, double ValidationFraction = 0.2, int NumberOfFolds = 5, int SplitSeed = 0)
    {
        /// <summary>Trains on a share of the rows and scores on the rest.</summary>
        /// <param name="validationFraction">Share held out (default 0.2).</param>
        /// <param name="splitSeed">Seed of the split.</param>
        /// <returns>The evaluation.</returns>
        public static SweepEvaluation Holdout(double validationFraction = 0.2, int splitSeed = 0) =>
            Checked(new SweepEvaluation(SweepEvaluationKind.Holdout, validationFraction, 1, splitSeed));

        /// <summary>k-fold cross-validation: one trial per fold, the candidate's metric is the mean over folds (and seeds).</summary>
        /// <param name="numberOfFolds">k (default 5).</param>
        /// <param name="splitSeed">Seed of the split.</param>
        /// <returns>The evaluation.</returns>
        public static SweepEvaluation CrossValidation(int numberOfFolds = 5, int splitSeed = 0) =>
            Checked(new SweepEvaluation(SweepEvaluationKind.CrossValidation, 0, numberOfFolds, splitSeed));

        /// <summary>Trains on all the training rows and scores on the data's validation set.</summary>
        public static SweepEvaluation ValidationSet { get; } = new(SweepEvaluationKind.ValidationSet, 0, 1, 0);

        /// <summary>Most folds of a cross-validation: every fold is a trial per candidate and seed, and every fold's
        /// rows are counted before the sweep starts.</summary>
        public const int MaxFolds = 100;

        /// <summary>Trials per candidate and seed: the folds, or 1.</summary>
        [JsonIgnore]
        public int Folds => Kind == SweepEvaluationKind.CrossValidation ? NumberOfFolds : 1;

        /// <summary>Short text form: <c>holdout(fraction=0.2, seed=0)</c>, <c>cv(folds=5, seed=0)</c> or <c>validation_set</c>.</summary>
        [JsonIgnore]
        public string TextForm => Kind switch
        {
            SweepEvaluationKind.Holdout => string.Create(CultureInfo.InvariantCulture, $"holdout(fraction={ParameterDomain.Format(ValidationFraction)}, seed={SplitSeed})"),
            SweepEvaluationKind.CrossValidation => string.Create(CultureInfo.InvariantCulture, $"cv(folds={NumberOfFolds}, seed={SplitSeed})"),
            _ => "validation_set",
        };

        /// <summary>Checks the values.</summary>
        /// <exception cref="ArgumentOutOfRangeException">A value out of range.</exception>
        public void Validate()
        {
            if (Kind == SweepEvaluationKind.Holdout && !(ValidationFraction > 0 && ValidationFraction < 1))
            {
                throw new ParameterRangeException(nameof(ValidationFraction), ValidationFraction, "The hold-out fraction must be in (0, 1).");
            }
            if (Kind == SweepEvaluationKind.CrossValidation && (NumberOfFolds < 2 || NumberOfFolds > MaxFolds))
            {
                throw new ParameterRangeException(nameof(NumberOfFolds), NumberOfFolds,
                    $"Cross-validation needs 2 to {MaxFolds} folds (SweepEvaluation.MaxFolds).");
            }
            if (!Enum.IsDefined(Kind))
            {
                throw new ParameterRangeException(nameof(Kind), Kind, "Unknown evaluation kind.");
            }
        }

        /// <summary>The text form.</summary>
        /// <returns><see cref="TextForm"/>.</returns>
        public override string ToString() => TextForm;

        private static SweepEvaluation Checked(SweepEvaluation evaluation)
        {
            evaluation.Validate();
            return evaluation;
        }
    }

    /// <summary>Evaluation strategies of a sweep.</summary>
    public enum SweepEvaluationKind
    {
        /// <summary>A hold-out split of the training rows.</summary>
        Holdout,

        /// <summary>k-fold cross-validation over the training rows.</summary>
        CrossValidation,

        /// <summary>The validation set that comes with the data (for MNIST: its test split).</summary>
        ValidationSet,
    }
}
