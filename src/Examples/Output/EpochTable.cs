using System.Collections.Generic;
using System.Globalization;
using Microsoft.ML.WeightInit.Training;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>The seed article's per-epoch table: average test loss and accuracy, plus time, throughput and the libtorch threads that ran.</summary>
    public static class EpochTable
    {
        /// <summary>Builds the table.</summary>
        public static Table Create(IReadOnlyList<EpochMetrics> history)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Per epoch (validation = test split)")
                .AddColumn("Epoch").AddColumn(new TableColumn("Average loss").RightAligned())
                .AddColumn(new TableColumn("Accuracy").RightAligned()).AddColumn(new TableColumn("Training loss").RightAligned())
                .AddColumn(new TableColumn("Seconds").RightAligned()).AddColumn(new TableColumn("Images/s").RightAligned())
                .AddColumn(new TableColumn("Threads").RightAligned());
            foreach (var e in history)
            {
                table.AddRow(
                    e.Epoch.ToString(CultureInfo.InvariantCulture),
                    e.ValidationLoss.ToString("F4", CultureInfo.InvariantCulture),
                    e.ValidationAccuracy.ToString("F4", CultureInfo.InvariantCulture),
                    e.TrainingLoss.ToString("F4", CultureInfo.InvariantCulture),
                    e.Seconds.ToString("F1", CultureInfo.InvariantCulture),
                    e.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                    e.NumberOfThreads.ToString(CultureInfo.InvariantCulture));
            }
            return table;
        }
    }
}
