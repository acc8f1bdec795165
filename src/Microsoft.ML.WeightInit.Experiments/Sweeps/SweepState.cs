using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>What a running sweep knows: results by trial id (from the log and from this run), the trials proposed
    /// so far in order, and the current leader. Thread-safe.</summary>
    internal sealed class SweepState
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, TrialResult> _known = new();
        private readonly List<TrialSpec> _proposed = new();
        private readonly HashSet<string> _proposedIds = new();
        private readonly HashSet<string> _ranNow = new();
        private readonly HashSet<string> _reported = new();
        private readonly SweepOptions _options;
        private string? _bestKey;

        public SweepState(IEnumerable<TrialResult> logged, SweepOptions options)
        {
            _options = options;
            foreach (var r in logged)
            {
                _known[r.Id] = r;
            }
            Scores = new CandidateScores(new LockedView(this), options.Seeds, options.Evaluation, options.Metric);
        }

        public CandidateScores Scores { get; }

        public int KnownCount
        {
            get
            {
                lock (_gate)
                {
                    return _known.Count;
                }
            }
        }

        public int RunCount
        {
            get
            {
                lock (_gate)
                {
                    return _ranNow.Count;
                }
            }
        }

        public int FromLogCount
        {
            get
            {
                lock (_gate)
                {
                    return _proposed.Count(s => _known.ContainsKey(s.Id) && !_ranNow.Contains(s.Id));
                }
            }
        }

        public bool IsKnown(TrialSpec spec)
        {
            lock (_gate)
            {
                return _known.ContainsKey(spec.Id);
            }
        }

        /// <summary>Records proposed trials; returns those already known (from the log) not reported before.</summary>
        public List<TrialResult> Register(IEnumerable<TrialSpec> specs)
        {
            lock (_gate)
            {
                var fromLog = new List<TrialResult>();
                foreach (var spec in specs)
                {
                    if (_proposedIds.Add(spec.Id))
                    {
                        _proposed.Add(spec);
                    }
                    if (_known.TryGetValue(spec.Id, out var r) && !_ranNow.Contains(spec.Id) && _reported.Add(spec.Id))
                    {
                        fromLog.Add(r with { Spec = spec });
                    }
                }
                return fromLog;
            }
        }

        /// <summary>Records a result (and appends it to the log); returns the new leader if it changed.</summary>
        public CandidateSummary? Add(TrialResult result, TrialLog? log)
        {
            lock (_gate)
            {
                log?.Append(result);
                _known[result.Id] = result;
                _ranNow.Add(result.Id);
                _reported.Add(result.Id);
                var best = Leaderboard().Best;
                if (best is not null && best.Candidate.Key != _bestKey)
                {
                    _bestKey = best.Candidate.Key;
                    return best;
                }
                return null;
            }
        }

        /// <summary>Results of the proposed trials, in proposal order, each with the spec as proposed (its rung).</summary>
        public List<TrialResult> Results()
        {
            lock (_gate)
            {
                return _proposed.Where(s => _known.ContainsKey(s.Id)).Select(s => _known[s.Id] with { Spec = s }).ToList();
            }
        }

        public Leaderboard Leaderboard() =>
            Sweeps.Leaderboard.Create(Results(), _options.Metric, _options.Seeds.Count * _options.Evaluation.Folds);

        /// <summary>The best trial of the leading candidate, or null.</summary>
        public TrialResult? BestTrial()
        {
            var best = Leaderboard().Best;
            return best?.BestTrialId is null ? null : Results().FirstOrDefault(r => r.Id == best.BestTrialId);
        }

        /// <summary>The known results, read under the lock (for the tuner's scores).</summary>
        private sealed class LockedView(SweepState state) : IReadOnlyDictionary<string, TrialResult>
        {
            public TrialResult this[string key]
            {
                get
                {
                    lock (state._gate)
                    {
                        return state._known[key];
                    }
                }
            }

            public IEnumerable<string> Keys => Snapshot().Keys;

            public IEnumerable<TrialResult> Values => Snapshot().Values;

            public int Count => state.KnownCount;

            public bool ContainsKey(string key)
            {
                lock (state._gate)
                {
                    return state._known.ContainsKey(key);
                }
            }

            public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TrialResult value)
            {
                lock (state._gate)
                {
                    return state._known.TryGetValue(key, out value);
                }
            }

            public IEnumerator<KeyValuePair<string, TrialResult>> GetEnumerator() => Snapshot().GetEnumerator();

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

            private Dictionary<string, TrialResult> Snapshot()
            {
                lock (state._gate)
                {
                    return new Dictionary<string, TrialResult>(state._known);
                }
            }
        }
    }
}
