using System;
using System.Collections.Generic;
using Microsoft.ML.WeightInit.Training;

namespace Microsoft.ML.WeightInit.Experiments
{
    /// <summary>
    /// Watches a fit's per-batch training loss and records the first SGD step at which the mean loss of the last
    /// <see cref="Window"/> batches is at or below a threshold ("steps to reach loss L": in deep networks
    /// initializations differ in speed before they differ in final accuracy). Forwards every report to an inner
    /// progress receiver.
    /// </summary>
    internal sealed class LossThresholdRecorder : IProgress<TrainingProgress>
    {
        private readonly Queue<double> _recent = new();
        private readonly IProgress<TrainingProgress>? _inner;
        private readonly double _threshold;
        private double _sum;
        private long _steps;

        public LossThresholdRecorder(double threshold, int window, IProgress<TrainingProgress>? inner)
        {
            _threshold = threshold;
            Window = window;
            _inner = inner;
        }

        /// <summary>Batches in the moving mean.</summary>
        public int Window { get; }

        /// <summary>The first step (1-based, counted over all epochs) whose moving mean reached the threshold; null
        /// while none has.</summary>
        public long? StepsToThreshold { get; private set; }

        public void Report(TrainingProgress value)
        {
            _steps++;
            _recent.Enqueue(value.Loss);
            _sum += value.Loss;
            if (_recent.Count > Window)
            {
                _sum -= _recent.Dequeue();
            }
            if (StepsToThreshold is null && _recent.Count == Window && _sum / Window <= _threshold)
            {
                StepsToThreshold = _steps;
            }
            _inner?.Report(value);
        }
    }
}
