using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using static TorchSharp.torch;

namespace Microsoft.ML.WeightInit.Training
{
    /// <summary>
    /// Dedicated threads, each with libtorch at 1 intra-op thread, that run the parts of a split batch at once
    /// (<see cref="TrainingSettings.SplitBatchAcrossThreads"/>). Dedicated, not the thread pool: libtorch keeps its
    /// thread count per OS thread, and a pool thread pinned to 1 would slow whatever runs on it next.
    /// </summary>
    /// <remarks>
    /// libtorch's <c>set_num_threads</c> also writes a process-wide default that threads which have not touched
    /// libtorch yet start with; after the workers pin 1, the creating thread writes its own count back, so that
    /// default is what it was (a worker reads its count once before pinning: libtorch initializes a thread's count
    /// from the default at its first call, which would otherwise undo the pin).
    /// </remarks>
    internal sealed class PartWorkers : IDisposable
    {
        private readonly Thread[] _threads;
        private readonly ManualResetEventSlim[] _go;
        private readonly CountdownEvent _done;
        private ExceptionDispatchInfo?[] _errors = Array.Empty<ExceptionDispatchInfo?>();
        private Action<int>? _work;
        private int _parts;
        private int _next;
        private volatile bool _stopping;

        /// <summary>Starts <paramref name="count"/> worker threads and waits until each has pinned libtorch to 1 thread.</summary>
        /// <param name="count">Workers (≥ 2).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2.</exception>
        public PartWorkers(int count)
        {
            if (count < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "At least 2 workers are needed to split a batch.");
            }
            int callerThreads = get_num_threads();
            _go = new ManualResetEventSlim[count];
            _threads = new Thread[count];
            _done = new CountdownEvent(count);
            for (int i = 0; i < count; i++)
            {
                _go[i] = new ManualResetEventSlim(false);
                int part = i;
                _threads[i] = new Thread(() => Loop(part)) { IsBackground = true, Name = $"WeightInit batch worker {part}" };
                _threads[i].Start();
            }
            _done.Wait();
            set_num_threads(callerThreads);
        }

        /// <summary>Worker threads: parts run at once.</summary>
        public int Count => _threads.Length;

        /// <summary>Runs <paramref name="work"/>(part) for parts 0 … <paramref name="parts"/> − 1 and waits for all of
        /// them. The workers take the parts in order, each the next one not yet taken, so a worker slowed down by another
        /// program on its core takes fewer; which worker ran a part changes nothing the caller sees.</summary>
        /// <param name="parts">Parts (≥ 1).</param>
        /// <param name="work">The work of one part; it runs in no dispose scope of the caller's.</param>
        /// <exception cref="Exception">The failing part's exception (the lowest failing part index), rethrown here.</exception>
        public void Run(int parts, Action<int> work)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
            _errors = new ExceptionDispatchInfo?[parts];
            _parts = parts;
            _next = -1;
            _work = work;
            _done.Reset();
            foreach (var go in _go)
            {
                go.Set();
            }
            _done.Wait();
            _work = null;
            foreach (var error in _errors)
            {
                error?.Throw();
            }
        }

        /// <summary>Stops and joins the workers.</summary>
        public void Dispose()
        {
            if (_stopping)
            {
                return;
            }
            _stopping = true;
            foreach (var go in _go)
            {
                go.Set();
            }
            foreach (var thread in _threads)
            {
                thread.Join();
            }
            foreach (var go in _go)
            {
                go.Dispose();
            }
            _done.Dispose();
        }

        private void Loop(int worker)
        {
            // A thread's first libtorch call sets its count from the process-wide default (once per thread): made
            // here, before the pin, so that the creating thread's write-back of that default cannot undo the pin.
            _ = get_num_threads();
            set_num_threads(1);
            _done.Signal();
            while (true)
            {
                _go[worker].Wait();
                _go[worker].Reset();
                if (_stopping)
                {
                    return;
                }
                try
                {
                    for (int item = Interlocked.Increment(ref _next); item < _parts; item = Interlocked.Increment(ref _next))
                    {
                        try
                        {
                            _work!(item);
                        }
                        catch (Exception e)
                        {
                            _errors[item] = ExceptionDispatchInfo.Capture(e);
                        }
                    }
                }
                finally
                {
                    _done.Signal();
                }
            }
        }
    }
}
