using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Microsoft.ML.Transforms;
using Microsoft.ML.WeightInit.Data;
using Microsoft.ML.WeightInit.Networks;
using Microsoft.ML.WeightInit.Training;
using TorchSharp;

namespace Microsoft.ML.WeightInit.PerformanceTests
{
    /// <summary>
    /// One measurement of the contention table (eng/perf.sh starts the foreign busy threads and runs one probe process
    /// per measurement, so each starts libtorch's OpenMP runtime as a user's process does): trains InitCnn's loop on the
    /// bundled sample with the library's thread handling, then scores, and prints
    /// <c>training-images/s scoring-images/s threads</c>.
    /// </summary>
    public static class Contention
    {
        private const int WarmUpSteps = 3;

        /// <summary>Runs the probe; <paramref name="threads"/> 0 is the default (NumberOfThreads = 0);
        /// <paramref name="oneGraph"/>: every batch one graph on libtorch's threads (SplitBatchAcrossThreads off).</summary>
        /// <param name="partsPerThread">Parts per worker of a split batch; 0 for the library's default.</param>
        public static string Probe(int threads, double maxSeconds, bool oneGraph = false, int partsPerThread = 0)
        {
            var ml = new MLContext(seed: 0);
            var keys = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue);
            var trainView = ml.Data.LoadMnistSample(MnistSplit.Train);
            var map = keys.Fit(trainView);
            var columns = new InputColumns("Label", "Features");
            using var train = TensorDataset.FromDataView(map.Transform(trainView), columns, ImageShape.Mnist, 0.1307, 0.3081);
            using var test = TensorDataset.FromDataView(map.Transform(ml.Data.LoadMnistSample(MnistSplit.Test)), columns, ImageShape.Mnist, 0.1307, 0.3081);

            var watch = new Stopwatch();
            double startSeconds = 0, endSeconds = 0;
            long startImages = 0, endImages = 0;
            using var stop = new CancellationTokenSource();
            var progress = new SynchronousProgress(p =>
            {
                long images = (long)p.Step * 64;
                if (p.Step == WarmUpSteps)
                {
                    watch.Start();
                    startImages = images;
                }
                else if (p.Step > WarmUpSteps)
                {
                    endSeconds = watch.Elapsed.TotalSeconds;
                    endImages = images;
                    if (endSeconds >= maxSeconds)
                    {
                        stop.Cancel();
                    }
                }
            });
            var settings = new TrainingSettings { NumberOfEpochs = 1, NumberOfThreads = threads, SplitBatchAcrossThreads = !oneGraph };
            if (partsPerThread > 0)
            {
                settings = settings with { SplitPartsPerThread = partsPerThread };
            }
            try
            {
                TrainingLoop.Run(train, null, settings, progress, cancellation: stop.Token).Network.Dispose();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the time budget ended the epoch early
            }
            double trainRate = (endImages - startImages) / (endSeconds - startSeconds);
            int ran = torch.get_num_threads(); // libtorch's count on this (the training) thread

            using var net = new MnistCnn(ImageShape.Mnist, ConvolutionPathSelector.Current.Path);
            TrainingLoop.Evaluate(net, test, 1000); // warm-up
            var scoring = Stopwatch.StartNew();
            long scored = 0;
            while (scoring.Elapsed.TotalSeconds < Math.Max(1, maxSeconds / 4))
            {
                TrainingLoop.Evaluate(net, test, 1000);
                scored += test.Count;
            }
            double scoreRate = scored / scoring.Elapsed.TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture, $"{trainRate:F0} {scoreRate:F0} {ran}");
        }

        /// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
        private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => report(value);
        }
    }
}
