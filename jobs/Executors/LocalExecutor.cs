using System.Collections.Concurrent;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Stats;
using DataPipeline.Jobs.Progress;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Executors;

/// <summary>
/// Runs a stage's tasks in this process on a bounded pool of worker threads (default one per
/// core). A failing task does not stop the others unless the run fails fast; the stage then
/// reports every failed rank, and a rerun with --resume redoes only those.
/// </summary>
public sealed class LocalExecutor(int workers, bool quiet)
{
    public int Workers { get; } = workers > 0 ? workers : Environment.ProcessorCount;

    public StageOutcome RunStage(RunSettings settings, StagePlan plan, IReadOnlyList<int> ranks, CancellationToken cancellation)
    {
        var queue = new ConcurrentQueue<int>(ranks);
        var running = new ConcurrentDictionary<int, TaskProgress>();
        var failures = new ConcurrentDictionary<int, Exception>();
        long doneDocs = 0, doneBytes = 0, doneInput = 0;
        int done = plan.Tasks - ranks.Count;
        using var stopOnFailure = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using (new ProgressDisplay(plan.Stage.Name, plan.Tasks, plan.TotalInputBytes, quiet,
            () => (Volatile.Read(ref done), running.Values.ToList(), Interlocked.Read(ref doneDocs), Interlocked.Read(ref doneBytes), Interlocked.Read(ref doneInput))))
        {
            var threads = Enumerable.Range(0, Math.Min(Workers, Math.Max(1, ranks.Count))).Select(i => new Thread(() =>
            {
                while (!stopOnFailure.IsCancellationRequested && queue.TryDequeue(out int rank))
                {
                    var progress = new TaskProgress();
                    running[rank] = progress;
                    try
                    {
                        TaskStats stats = MapTask.Run(settings, plan, rank, progress, stopOnFailure.Token);
                        Interlocked.Add(ref doneDocs, stats.DocumentsIn);
                        Interlocked.Add(ref doneBytes, stats.BytesIn);
                        Interlocked.Add(ref doneInput, stats.InputFileBytes);
                        Interlocked.Increment(ref done);
                    }
                    catch (Exception e)
                    {
                        failures[rank] = e;
                        if (settings.FailFast || e is OperationCanceledException)
                        {
                            stopOnFailure.Cancel();
                        }
                    }
                    finally
                    {
                        running.TryRemove(rank, out _);
                    }
                }
            })
            { Name = $"task-worker-{i}", IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }
        return new StageOutcome(plan.Stage.Name, failures.OrderBy(f => f.Key).ToList());
    }
}

public sealed record StageOutcome(string Stage, IReadOnlyList<KeyValuePair<int, Exception>> Failures)
{
    public bool Succeeded => Failures.Count == 0;

    /// <summary>The first failure as a message for the user: its own text when it is one of ours, else type and message.</summary>
    public string Describe()
    {
        var lines = new List<string>();
        foreach (var (rank, e) in Failures.Take(5))
        {
            lines.Add($"  task {rank}: {ErrorText.Of(e)}");
        }
        if (Failures.Count > 5)
        {
            lines.Add($"  ... and {Failures.Count - 5} more");
        }
        return $"stage '{Stage}': {Failures.Count} task(s) failed\n" + string.Join("\n", lines);
    }
}

public static class ErrorText
{
    public static string Of(Exception e) => e switch
    {
        DataPipelineException d => d.Message,
        OperationCanceledException => "cancelled",
        IOException or UnauthorizedAccessException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message} (this is a bug; please report it with the run's pipeline file)",
    };
}
