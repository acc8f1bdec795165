using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.WeightInit.Scoring
{
    /// <summary>Scores the rows of a cursor or a row as they go by (see <see cref="BatchRowScorer"/> and
    /// <see cref="SingleRowScorer"/>).</summary>
    internal abstract class RowScorer : IDisposable
    {
        /// <summary>The probabilities of the current row and the output getters.</summary>
        public abstract ScoreBuffer Buffer { get; }

        /// <summary>Called after the main cursor moved to its next row.</summary>
        public abstract void Advance(DataViewRow current);

        public virtual void Dispose()
        {
        }
    }

    /// <summary>Scores the current row alone, when first asked (PredictionEngine, shuffled cursors).</summary>
    internal sealed class SingleRowScorer : RowScorer
    {
        private readonly CnnScorer _scorer;
        private readonly DataViewRow _row;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly string _featureColumn;
        private readonly float[] _pixels;
        private VBuffer<float> _buffer;
        private long _scoredPosition = long.MinValue;
        private bool _stale = true;

        public SingleRowScorer(CnnScorer scorer, DataViewRow row, DataViewSchema.Column featureColumn)
        {
            _scorer = scorer;
            _row = row;
            _features = row.GetGetter<VBuffer<float>>(featureColumn);
            _featureColumn = featureColumn.Name;
            _pixels = new float[scorer.Shape.FeatureCount];
            Buffer = new ScoreBuffer(scorer.Shape.Classes, new float[scorer.Shape.Classes], EnsureCurrent);
        }

        public override ScoreBuffer Buffer { get; }

        public override void Advance(DataViewRow current) => _stale = true;

        private int EnsureCurrent()
        {
            // A row handed to a mapper (PredictionEngine) changes under us; its position tells when. Rows without a
            // position (negative) are rescored on every read.
            long position = _row.Position;
            if (_stale || position < 0 || position != _scoredPosition)
            {
                _features(ref _buffer);
                FeatureRows.Copy(_buffer, _pixels, _featureColumn);
                _scorer.Score(_pixels, 1, Buffer.Probabilities);
                _scoredPosition = position;
                _stale = false;
            }
            return 0;
        }
    }

    /// <summary>
    /// Scores rows in batches read by a second cursor over the same input, which must deliver the rows in the same
    /// order as the main cursor (ML.NET's contract for unshuffled cursors); the row ids are compared to make sure.
    /// </summary>
    internal sealed class BatchRowScorer : RowScorer
    {
        public const int BatchSize = 256;

        private readonly CnnScorer _scorer;
        private readonly DataViewRowCursor _ahead;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly ValueGetter<DataViewRowId> _aheadId;
        private readonly string _featureColumn;
        private readonly float[] _pixels;
        private readonly DataViewRowId[] _ids = new DataViewRowId[BatchSize];
        private ValueGetter<DataViewRowId>? _mainId;
        private VBuffer<float> _buffer;
        private DataViewRow? _current;
        private long _row = -1;
        private long _batchStart;
        private int _filled;

        public BatchRowScorer(CnnScorer scorer, DataViewRowCursor ahead, DataViewSchema.Column featureColumn)
        {
            _scorer = scorer;
            _ahead = ahead;
            _features = ahead.GetGetter<VBuffer<float>>(featureColumn);
            _aheadId = ahead.GetIdGetter();
            _featureColumn = featureColumn.Name;
            _pixels = new float[BatchSize * scorer.Shape.FeatureCount];
            Buffer = new ScoreBuffer(scorer.Shape.Classes, new float[BatchSize * scorer.Shape.Classes], EnsureCurrent);
        }

        public override ScoreBuffer Buffer { get; }

        public override void Advance(DataViewRow current)
        {
            _row++;
            _current = current;
        }

        private int EnsureCurrent()
        {
            while (_row >= _batchStart + _filled)
            {
                FillNextBatch();
            }
            int offset = (int)(_row - _batchStart);
            _mainId ??= _current!.GetIdGetter();
            DataViewRowId id = default;
            _mainId(ref id);
            if (!id.Equals(_ids[offset]))
            {
                throw new InvalidOperationException(
                    "The input data view returned its rows in a different order to two cursors; scoring needs a deterministic row order (cache the data with mlContext.Data.Cache first).");
            }
            return offset;
        }

        private void FillNextBatch()
        {
            _batchStart += _filled;
            int width = _scorer.Shape.FeatureCount;
            int count = 0;
            while (count < BatchSize && _ahead.MoveNext())
            {
                _features(ref _buffer);
                FeatureRows.Copy(_buffer, _pixels.AsSpan(count * width, width), _featureColumn);
                _aheadId(ref _ids[count]);
                count++;
            }
            if (count == 0)
            {
                throw new InvalidOperationException("The input data view returned fewer rows to a second cursor than to the first; scoring needs a deterministic input.");
            }
            _scorer.Score(_pixels, count, Buffer.Probabilities);
            _filled = count;
        }

        public override void Dispose() => _ahead.Dispose();
    }
}
