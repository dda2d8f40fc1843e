using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;

namespace DataPipeline.Core.Steps;

/// <summary>
/// One step of a map stage: takes this task's stream of documents and yields the ones it keeps,
/// possibly changed. Steps run inside one task on one thread, so they need no locking; every
/// task gets its own step instance.
/// </summary>
public interface IPipelineStep
{
    /// <summary>Name used in stats and in removal records (the YAML step type unless configured).</summary>
    string Name { get; }

    IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context);
}

/// <summary>What a step may see and use while it runs in a task.</summary>
public sealed class StepContext
{
    public StepContext(int rank, int worldSize, StepStats stats, IRemovedSink? removed, CancellationToken cancellation, ITaskOutputs? outputs = null)
    {
        Rank = rank;
        WorldSize = worldSize;
        Stats = stats;
        Removed = removed;
        Cancellation = cancellation;
        Outputs = outputs;
    }

    /// <summary>Where a sink step writes its own outputs; null outside a task (e.g. in unit tests of filters).</summary>
    public ITaskOutputs? Outputs { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    public StepStats Stats { get; }

    /// <summary>Where removed documents go when the run keeps them; null otherwise.</summary>
    public IRemovedSink? Removed { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Counts a removal by reason and keeps the document for audit when the run asks for that.</summary>
    public void Reject(Document document, string step, string reason)
    {
        Stats.Remove(reason);
        Removed?.Write(document, step, reason);
    }
}

/// <summary>Receives documents a step removed, with the step and reason.</summary>
public interface IRemovedSink
{
    void Write(Document document, string step, string reason);
}

/// <summary>Base for steps that keep or drop a document without changing it.</summary>
public abstract class FilterStep : IPipelineStep
{
    public abstract string Name { get; }

    /// <summary>The removal reason, or null to keep the document.</summary>
    public abstract string? Check(Document document);

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        foreach (var document in documents)
        {
            var reason = Check(document);
            if (reason is null)
            {
                yield return document;
            }
            else
            {
                context.Reject(document, Name, reason);
            }
        }
    }
}
