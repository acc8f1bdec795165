using System.Globalization;
using Microsoft.ML.Data;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>ML.NET's multiclass metrics as a table.</summary>
    public static class MetricsTable
    {
        /// <summary>Builds the table.</summary>
        public static Table Create(MulticlassClassificationMetrics metrics)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("ML.NET Evaluate (test split)")
                .AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
            table.AddRow("MicroAccuracy", metrics.MicroAccuracy.ToString("F4", CultureInfo.InvariantCulture));
            table.AddRow("MacroAccuracy", metrics.MacroAccuracy.ToString("F4", CultureInfo.InvariantCulture));
            table.AddRow("LogLoss", metrics.LogLoss.ToString("F4", CultureInfo.InvariantCulture));
            table.AddRow("LogLossReduction", metrics.LogLossReduction.ToString("F4", CultureInfo.InvariantCulture));
            return table;
        }
    }
}
