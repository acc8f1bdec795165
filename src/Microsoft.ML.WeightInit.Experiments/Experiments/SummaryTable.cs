using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Evaluation;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// One of the article's tables: epochs as rows, initializers as columns, each cell the mean ± sample standard
    /// deviation over seeds of a per-epoch test metric.
    /// </summary>
    public sealed class SummaryTable
    {
        private readonly MeanStd[,] _cells;

        /// <summary>Creates a table.</summary>
        /// <param name="metric">What the cells hold, e.g. <c>Average loss</c>.</param>
        /// <param name="columns">Initializer labels.</param>
        /// <param name="epochs">Number of rows (epochs 1..E).</param>
        /// <param name="cell">The cell of (1-based epoch, column label).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> &lt; 1.</exception>
        public SummaryTable(string metric, IReadOnlyList<string> columns, int epochs, Func<int, string, MeanStd> cell)
        {
            ArgumentNullException.ThrowIfNull(columns);
            ArgumentNullException.ThrowIfNull(cell);
            ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
            Metric = metric;
            Columns = columns.ToArray();
            Epochs = epochs;
            _cells = new MeanStd[epochs, Columns.Count];
            for (int e = 1; e <= epochs; e++)
            {
                for (int c = 0; c < Columns.Count; c++)
                {
                    _cells[e - 1, c] = cell(e, Columns[c]);
                }
            }
        }

        /// <summary>What the cells hold.</summary>
        public string Metric { get; }

        /// <summary>Initializer labels, in column order.</summary>
        public IReadOnlyList<string> Columns { get; }

        /// <summary>Number of rows: epochs 1..<see cref="Epochs"/>.</summary>
        public int Epochs { get; }

        /// <summary>The cell of an epoch and a column.</summary>
        /// <param name="epoch">1-based epoch.</param>
        /// <param name="column">0-based column.</param>
        /// <returns>Mean, standard deviation and number of runs.</returns>
        public MeanStd this[int epoch, int column] => _cells[epoch - 1, column];

        /// <summary>The cell of an epoch and an initializer label.</summary>
        /// <param name="epoch">1-based epoch.</param>
        /// <param name="initializer">A column label.</param>
        /// <returns>Mean, standard deviation and number of runs.</returns>
        /// <exception cref="KeyNotFoundException">Unknown label.</exception>
        public MeanStd this[int epoch, string initializer]
        {
            get
            {
                int c = Columns.ToList().IndexOf(initializer);
                return c < 0 ? throw new KeyNotFoundException($"No column '{initializer}'.") : _cells[epoch - 1, c];
            }
        }
    }
}
