using Microsoft.ML.WeightInit.Sweeps;

namespace Microsoft.ML.WeightInit.Tests.Sweeps
{
    /// <summary>A tiny slice of the bundled sample (mlContext.Data.TakeRows) that sweeps train on in well under a second
    /// per trial.</summary>
    internal static class SweepTestData
    {
        public const int TrainRows = 500;
        public const int ValidationRows = 200;

        /// <summary>Four schemes of which two learn and two cannot: zeros (no signal) and ones (blows up).</summary>
        public const string Space = "weight=xavier_uniform(gain=1) | kaiming_uniform(a=0) | zeros | ones; bias=zeros; lr=0.05; momentum=0.5; epochs=1";

        public static (MLContext MLContext, IDataView Train, IDataView Validation) Load(int trainRows = TrainRows)
        {
            var mlContext = new MLContext(seed: 0);
            var (train, test) = SampleData.Keyed(mlContext);
            return (mlContext, mlContext.Data.TakeRows(train, trainRows), mlContext.Data.TakeRows(test, ValidationRows));
        }

        public static InProcessTrialRunner Runner(out MLContext mlContext, int trainRows = TrainRows)
        {
            var (context, train, validation) = Load(trainRows);
            mlContext = context;
            return new InProcessTrialRunner(context, train, validation, dataDescription: $"sample[:{trainRows}], test[:{ValidationRows}]");
        }
    }
}
