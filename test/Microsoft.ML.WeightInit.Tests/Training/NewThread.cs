using System;
using System.Threading;

namespace Microsoft.ML.WeightInit.Tests.Training
{
    /// <summary>Runs test code on a new thread: libtorch's thread count is per thread, so the test thread's count stays
    /// as it was, and a new thread starts from libtorch's process-wide default.</summary>
    internal static class NewThread
    {
        /// <summary>Runs <paramref name="work"/> on a new thread and waits for it.</summary>
        /// <returns>What <paramref name="work"/> returned.</returns>
        /// <exception cref="AggregateException">Wraps what <paramref name="work"/> threw.</exception>
        public static T Run<T>(Func<T> work)
        {
            T result = default!;
            Exception? error = null;
            var thread = new Thread(() =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            thread.Start();
            thread.Join();
            if (error is not null)
            {
                throw new AggregateException(error);
            }
            return result;
        }
    }
}
