using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>
    /// Cursor of a scored data view: passes the input columns through and adds Score and PredictedLabel. Rows are
    /// scored in batches by a second cursor over the same input that runs ahead in the same order (row ids are
    /// checked), or one at a time when no such cursor is given (shuffled cursors).
    /// </summary>
    internal sealed class ScoringCursor : DataViewRowCursor
    {
        private readonly ScoringSchema _schema;
        private readonly DataViewRowCursor _input;
        private readonly RowScorer _scorer;
        private readonly ScoredRowColumns _columns;

        public ScoringCursor(ScoringSchema schema, DataViewRowCursor input, RowScorer scorer, bool scoreActive, bool predictedLabelActive)
        {
            _schema = schema;
            _input = input;
            _scorer = scorer;
            _columns = new ScoredRowColumns(schema, input, scoreActive || predictedLabelActive ? scorer.Buffer : null, scoreActive, predictedLabelActive);
        }

        public override DataViewSchema Schema => _schema.Output;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            if (!_input.MoveNext())
            {
                return false;
            }
            _scorer.Advance(_input);
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _scorer.Dispose();
                _input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
