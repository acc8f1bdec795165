using System;
using System.Globalization;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Where a trial finds its data, as plain serializable values: a directory of MNIST IDX files (or the bundled
    /// sample), and how many rows to use. A worker on another machine loads the same rows from the same files.
    /// </summary>
    public sealed record SweepDataLocation
    {
        /// <summary>Directory of the MNIST IDX files (raw or .gz), as seen by the process that runs the trial; null
        /// for the bundled sample (6,000 training / 1,000 test images).</summary>
        public string? MnistDirectory { get; init; }

        /// <summary>Training rows used, from the start of the training split; 0 for all.</summary>
        public int TrainRows { get; init; }

        /// <summary>Rows of the test split used as the validation set (<see cref="SweepEvaluationKind.ValidationSet"/>),
        /// from its start; 0 for all.</summary>
        public int ValidationRows { get; init; }

        /// <summary>The bundled sample, all rows.</summary>
        public static SweepDataLocation Sample { get; } = new();

        /// <summary>What the data is, for the trial log: <c>mnist(dir=…, train_rows=…, validation_rows=…)</c>.</summary>
        public string Description => string.Create(CultureInfo.InvariantCulture,
            $"mnist(dir={MnistDirectory ?? "bundled sample"}, train_rows={(TrainRows > 0 ? TrainRows.ToString(CultureInfo.InvariantCulture) : "all")}, validation_rows={(ValidationRows > 0 ? ValidationRows.ToString(CultureInfo.InvariantCulture) : "all")})");

        /// <summary>Loads the training rows and the validation set (the test split), labels mapped to keys in digit
        /// order (<c>MapValueToKey</c>, ByValue).</summary>
        /// <param name="mlContext">The context.</param>
        /// <returns>The two data views.</returns>
        /// <exception cref="ArgumentOutOfRangeException">Negative row counts.</exception>
        public (IDataView Train, IDataView Validation) Load(MLContext mlContext)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            if (TrainRows < 0 || ValidationRows < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(TrainRows), "Row counts must be 0 (all) or more.");
            }
            IDataView train = MnistDirectory is null
                ? mlContext.Data.LoadMnistSample(MnistSplit.Train)
                : mlContext.Data.LoadMnist(MnistDirectory, MnistSplit.Train, TrainRows > 0 ? TrainRows : int.MaxValue);
            IDataView test = MnistDirectory is null
                ? mlContext.Data.LoadMnistSample(MnistSplit.Test)
                : mlContext.Data.LoadMnist(MnistDirectory, MnistSplit.Test, ValidationRows > 0 ? ValidationRows : int.MaxValue);
            if (MnistDirectory is null && TrainRows > 0)
            {
                train = mlContext.Data.TakeRows(train, TrainRows);
            }
            if (MnistDirectory is null && ValidationRows > 0)
            {
                test = mlContext.Data.TakeRows(test, ValidationRows);
            }
            var keys = mlContext.Transforms.Conversion
                .MapValueToKey(Trainers.ColumnNames.Label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            return (keys.Transform(train), keys.Transform(test));
        }
    }
}
