using System;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>The data every benchmark shares, loaded once per process: MNIST as keyed data views and as tensors.</summary>
    internal static class PerfData
    {
        private static readonly Lazy<Loaded> Data = new(Load);
        private static readonly Lazy<TensorDataset> Tensors = new(() =>
            TensorDataset.FromDataView(Train, new InputColumns("Label", "Features"), ImageShape.Mnist, 0.1307, 0.3081));

        /// <summary>Directory of MNIST IDX files (set from the command line before first use); null acquires.</summary>
        public static string? Directory { get; set; }

        /// <summary>Training rows to keep (the first N; a quick smoke run of the whole set), or null for all.</summary>
        public static long? TrainRows { get; set; }

        /// <summary>The shared context.</summary>
        public static MLContext MLContext { get; } = new(seed: 0);

        /// <summary>Keyed training rows.</summary>
        public static IDataView Train => Data.Value.Train;

        /// <summary>Keyed test rows.</summary>
        public static IDataView Test => Data.Value.Test;

        /// <summary>Training rows as tensors (normalized), made on first use.</summary>
        public static TensorDataset TrainTensors => Tensors.Value;

        /// <summary>Where the data came from.</summary>
        public static string Source => Data.Value.Source;

        private static Loaded Load()
        {
            var found = MnistDataSource.Acquire(new MnistAcquireOptions { DataDirectory = Directory });
            var ml = MLContext;
            var train = ml.Data.LoadMnist(found.Directory, MnistSplit.Train);
            var test = ml.Data.LoadMnist(found.Directory, MnistSplit.Test);
            var keys = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            // Not cached: InitCnn reads the MNIST data view as a user's pipeline gives it.
            var keyed = keys.Transform(train);
            return new Loaded(TrainRows is { } rows ? ml.Data.TakeRows(keyed, rows) : keyed, keys.Transform(test), found.Source);
        }

        private sealed record Loaded(IDataView Train, IDataView Test, string Source);
    }
}
