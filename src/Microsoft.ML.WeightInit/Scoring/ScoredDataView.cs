using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>The input data view with Score and PredictedLabel appended (what <c>Transform</c> returns).</summary>
    internal sealed class ScoredDataView : IDataView
    {
        private readonly IDataView _input;
        private readonly ScoringSchema _schema;
        private readonly CnnScorer _scorer;
        private readonly DataViewSchema.Column _featureColumn;

        public ScoredDataView(IDataView input, ScoringSchema schema, CnnScorer scorer, string featureColumn)
        {
            _input = input;
            _schema = schema;
            _scorer = scorer;
            _featureColumn = input.Schema[featureColumn];
        }

        public bool CanShuffle => _input.CanShuffle;

        public DataViewSchema Schema => _schema.Output;

        public long? GetRowCount() => _input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var needed = columnsNeeded.ToList();
            bool score = needed.Any(c => c.Index == _schema.ScoreIndex);
            bool predicted = needed.Any(c => c.Index == _schema.PredictedLabelIndex);
            var inputColumns = needed.Where(c => c.Index < _input.Schema.Count).Select(c => _input.Schema[c.Index]).ToList();
            if (!(score || predicted))
            {
                return new ScoringCursor(_schema, _input.GetRowCursor(inputColumns, rand), new NoScorer(), false, false);
            }
            if (rand is null)
            {
                var main = _input.GetRowCursor(inputColumns);
                var ahead = _input.GetRowCursor(new[] { _featureColumn });
                return new ScoringCursor(_schema, main, new BatchRowScorer(_scorer, ahead, _featureColumn), score, predicted);
            }
            if (!inputColumns.Contains(_featureColumn))
            {
                inputColumns.Add(_featureColumn);
            }
            var cursor = _input.GetRowCursor(inputColumns, rand);
            return new ScoringCursor(_schema, cursor, new SingleRowScorer(_scorer, cursor, _featureColumn), score, predicted);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            new[] { GetRowCursor(columnsNeeded, rand) };

        /// <summary>Used when neither output column is requested.</summary>
        private sealed class NoScorer : RowScorer
        {
            public override ScoreBuffer Buffer { get; } = new(1, new float[1], () => throw new InvalidOperationException("No output column is active."));

            public override void Advance(DataViewRow current)
            {
            }
        }
    }
}
