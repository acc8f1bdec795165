using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>Maps one row at a time (what <c>PredictionEngine</c> uses).</summary>
    internal sealed class ScoringRowMapper : IRowToRowMapper
    {
        private readonly ScoringSchema _schema;
        private readonly CnnScorer _scorer;
        private readonly DataViewSchema.Column _featureColumn;

        public ScoringRowMapper(ScoringSchema schema, CnnScorer scorer, string featureColumn)
        {
            _schema = schema;
            _scorer = scorer;
            _featureColumn = schema.Input[featureColumn];
        }

        public DataViewSchema InputSchema => _schema.Input;

        public DataViewSchema OutputSchema => _schema.Output;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var list = dependingColumns.ToList();
            var inputs = list.Where(c => c.Index < _schema.Input.Count).Select(c => _schema.Input[c.Index]).ToList();
            if (list.Any(c => c.Index >= _schema.Input.Count) && !inputs.Contains(_featureColumn))
            {
                inputs.Add(_featureColumn);
            }
            return inputs;
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            ArgumentNullException.ThrowIfNull(input);
            var active = activeColumns.ToList();
            bool score = active.Any(c => c.Index == _schema.ScoreIndex);
            bool predicted = active.Any(c => c.Index == _schema.PredictedLabelIndex);
            return new MappedRow(_schema, input, score || predicted ? new SingleRowScorer(_scorer, input, _featureColumn) : null, score, predicted);
        }

        private sealed class MappedRow : DataViewRow
        {
            private readonly ScoringSchema _schema;
            private readonly DataViewRow _input;
            private readonly ScoredRowColumns _columns;

            public MappedRow(ScoringSchema schema, DataViewRow input, SingleRowScorer? scorer, bool score, bool predicted)
            {
                _schema = schema;
                _input = input;
                _columns = new ScoredRowColumns(schema, input, scorer?.Buffer, score, predicted);
            }

            public override DataViewSchema Schema => _schema.Output;

            public override long Position => _input.Position;

            public override long Batch => _input.Batch;

            public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsActive(column);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.GetGetter<TValue>(column);
        }
    }
}
