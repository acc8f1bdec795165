using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;
using Spectre.Console;

namespace Microsoft.ML.WeightInit.Examples.Output
{
    /// <summary>ML.NET's confusion matrix as a table: rows are the true class, columns the predicted one.</summary>
    public static class ConfusionTable
    {
        /// <summary>Builds the table.</summary>
        public static Table Create(ConfusionMatrix matrix)
        {
            int k = matrix.NumberOfClasses;
            var table = new Table().Border(TableBorder.Rounded).Title("Confusion matrix (rows: truth, columns: predicted)").AddColumn("");
            for (int j = 0; j < k; j++)
            {
                table.AddColumn(new TableColumn(j.ToString(CultureInfo.InvariantCulture)).RightAligned());
            }
            table.AddColumn(new TableColumn("Recall").RightAligned());
            for (int i = 0; i < k; i++)
            {
                var cells = new[] { i.ToString(CultureInfo.InvariantCulture) }
                    .Concat(matrix.Counts[i].Select(c => c.ToString("F0", CultureInfo.InvariantCulture)))
                    .Append(matrix.PerClassRecall[i].ToString("F4", CultureInfo.InvariantCulture));
                table.AddRow(cells.ToArray());
            }
            table.AddRow(new[] { "Precision" }.Concat(matrix.PerClassPrecision.Select(p => p.ToString("F3", CultureInfo.InvariantCulture))).Append("").ToArray());
            return table;
        }
    }
}
