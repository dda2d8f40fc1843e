using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using DataPipeline.Core.Documents;

namespace DataPipeline.Tokenize.Steps;

/// <summary>
/// Enumerates a task's documents on a thread of their own, a few batches ahead of the consumer, so
/// that reading and parsing the input (and any earlier steps of the stage) run while the consumer
/// tokenizes. Order is kept; an exception from the source is rethrown to the consumer, as it was
/// thrown, after the documents before it; a consumer that stops early stops the reader too.
/// </summary>
internal static class DocumentReadAhead
{
    private const int BatchDocuments = 64;
    private const long BatchBytes = 1 << 20;
    private const int BatchesAhead = 4;

    public static IEnumerable<Document> Read(IEnumerable<Document> source, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var batches = new BlockingCollection<List<Document>>(BatchesAhead);
        ExceptionDispatchInfo? failure = null;
        var reader = new Thread(() =>
        {
            var batch = new List<Document>(BatchDocuments);
            try
            {
                long bytes = 0;
                foreach (var document in source)
                {
                    batch.Add(document);
                    bytes += document.Utf8Length;
                    if (batch.Count == BatchDocuments || bytes >= BatchBytes)
                    {
                        batches.Add(batch, stop.Token);
                        batch = new List<Document>(BatchDocuments);
                        bytes = 0;
                    }
                }
                if (batch.Count > 0)
                {
                    batches.Add(batch, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped (or the task was cancelled): nothing more to read.
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
                try
                {
                    // The documents read before the failure still go to the consumer, first.
                    if (batch.Count > 0)
                    {
                        batches.Add(batch, stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }
            finally
            {
                batches.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "tokenize read-ahead",
        };
        reader.Start();
        try
        {
            foreach (var batch in batches.GetConsumingEnumerable(cancellation))
            {
                foreach (var document in batch)
                {
                    yield return document;
                }
            }
        }
        finally
        {
            stop.Cancel();
            reader.Join();
        }
        failure?.Throw();
    }
}
