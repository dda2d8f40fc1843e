using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace DataPipeline.Core.IO;

/// <summary>
/// Runs an enumeration (a task's reading and parsing of its input) on a thread of its own, a bounded
/// number of items ahead of the consumer. Items arrive in the source's order; an exception of the
/// source is thrown to the consumer after every item produced before it; a consumer that stops early
/// (or throws) stops the producer and waits for it, so the source is disposed before this returns.
/// </summary>
public static class Prefetch
{
    /// <param name="source">The enumeration to run ahead; it must not share mutable state with the consumer's work.</param>
    /// <param name="weight">The size of an item (bytes of a document), which bounds how far ahead the producer runs.</param>
    /// <param name="batchWeight">A batch is handed over once its items weigh this much (or hold 1,024 items).</param>
    /// <param name="depth">Batches waiting at most: memory ahead is about depth × batchWeight plus one item per batch.</param>
    public static IEnumerable<T> Ahead<T>(IEnumerable<T> source, Func<T, long> weight, long batchWeight = 256 << 10, int depth = 3)
    {
        using var stop = new CancellationTokenSource();
        using var queue = new BlockingCollection<List<T>>(depth);
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            var batch = new List<T>();
            try
            {
                long weighed = 0;
                foreach (var item in source)
                {
                    batch.Add(item);
                    weighed += weight(item);
                    if (weighed >= batchWeight || batch.Count == 1024)
                    {
                        queue.Add(batch, stop.Token);
                        batch = [];
                        weighed = 0;
                    }
                }
                if (batch.Count > 0) queue.Add(batch, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the consumer stopped early
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
                try
                {
                    // The items read before the error still go to the consumer, as they would without prefetching.
                    if (batch.Count > 0) queue.Add(batch, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // the consumer stopped early
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "datapipe prefetch" };
        thread.Start();
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
            {
                foreach (var item in batch) yield return item;
            }
            thread.Join();
            error?.Throw();
        }
        finally
        {
            if (thread.IsAlive)
            {
                stop.Cancel();
                thread.Join();
            }
        }
    }
}
