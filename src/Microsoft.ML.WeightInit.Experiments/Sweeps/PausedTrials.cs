using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Sweeps
{
    /// <summary>
    /// Training sessions of finished trials kept alive (network, momentum, generator: a few MB each), so that a later
    /// trial with more epochs continues one instead of starting over, and the best trial's network can become the
    /// sweep's model without retraining. Bounded: the least recently stored session goes first.
    /// </summary>
    internal sealed class PausedTrials : IDisposable
    {
        private readonly List<(TrialSpec Spec, string SplitKey, TrainingSession Session)> _sessions = new();

        public PausedTrials(int capacity)
        {
            Capacity = capacity;
        }

        public int Capacity { get; }

        public int Count => _sessions.Count;

        /// <summary>Whether a session of <paramref name="splitKey"/> is kept (its tensors must stay alive).</summary>
        public bool Uses(string splitKey) => _sessions.Any(s => s.SplitKey == splitKey);

        public void Add(TrialSpec spec, string splitKey, TrainingSession session)
        {
            Take(spec)?.Dispose();
            _sessions.Add((spec, splitKey, session));
            while (_sessions.Count > Capacity)
            {
                _sessions[0].Session.Dispose();
                _sessions.RemoveAt(0);
            }
        }

        /// <summary>Removes and returns the session of a finished trial with the same key, or null.</summary>
        public TrainingSession? Take(TrialSpec? spec)
        {
            if (spec is null)
            {
                return null;
            }
            string key = spec.Key;
            int i = _sessions.FindIndex(s => s.Spec.Key == key);
            if (i < 0)
            {
                return null;
            }
            var session = _sessions[i].Session;
            _sessions.RemoveAt(i);
            return session;
        }

        public bool Contains(TrialSpec spec) => _sessions.Any(s => s.Spec.Key == spec.Key);

        /// <summary>Disposes every session whose trial <paramref name="keep"/> rejects.</summary>
        public void Release(Func<TrialSpec, bool> keep)
        {
            foreach (var s in _sessions.Where(s => !keep(s.Spec)).ToList())
            {
                s.Session.Dispose();
                _sessions.Remove(s);
            }
        }

        public void Dispose() => Release(_ => false);
    }
}
