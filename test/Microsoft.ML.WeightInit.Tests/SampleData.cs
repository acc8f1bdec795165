using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Tests
{
    /// <summary>The bundled MNIST sample with keyed labels, as data views and as tensors.</summary>
    internal static class SampleData
    {
        public static readonly InputColumns Columns = new("Label", "Features");

        public static (IDataView Train, IDataView Test) Keyed(MLContext mlContext)
        {
            var train = mlContext.Data.LoadMnistSample(MnistSplit.Train);
            var test = mlContext.Data.LoadMnistSample(MnistSplit.Test);
            var keys = mlContext.Transforms.Conversion
                .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            return (keys.Transform(train), keys.Transform(test));
        }

        /// <summary>The first <paramref name="trainRows"/> training and <paramref name="testRows"/> test rows, keyed.</summary>
        public static (IDataView Train, IDataView Test) KeyedHead(MLContext mlContext, int trainRows, int testRows)
        {
            var (train, test) = Keyed(mlContext);
            return (mlContext.Data.TakeRows(train, trainRows), mlContext.Data.TakeRows(test, testRows));
        }

        public static TensorDataset Tensors(MnistSplit split)
        {
            var mlContext = new MLContext(seed: 0);
            var (train, test) = Keyed(mlContext);
            return TensorDataset.FromDataView(split == MnistSplit.Train ? train : test, Columns, ImageShape.Mnist, 0.1307, 0.3081);
        }
    }
}
