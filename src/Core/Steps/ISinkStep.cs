using DataPipeline.Core.Stats;

namespace DataPipeline.Core.Steps;

/// <summary>
/// A step that ends its stage by writing outputs of its own (token shards, say) instead of passing
/// documents on. It must be the stage's last step; the task then writes no document part. It
/// writes under <see cref="StepContext.Outputs"/>, so its files follow the commit protocol.
/// </summary>
public interface ISinkStep : IPipelineStep
{
    /// <summary>Called once after the last document, before the task commits: close and finish files.</summary>
    void Complete(StepContext context);
}

/// <summary>
/// Work a step needs done once after every task of its stage has committed, such as merging the
/// per-task shard indexes into one dataset. It runs in one process, must be idempotent (a crash
/// during it means it runs again), and may return figures for the stage's stats (rates, totals).
/// </summary>
public interface IStageFinalizer
{
    IReadOnlyDictionary<string, double>? FinalizeStage(string stageOutputDirectory, IReadOnlyList<TaskStats> tasks);
}

/// <summary>A task's place to write outputs of its own, under the commit protocol.</summary>
public interface ITaskOutputs
{
    /// <summary>The stage's output folder.</summary>
    string Directory { get; }

    /// <summary>This task's part name, <c>part-RRRRR</c>: name outputs after it so a rerun finds and replaces them.</summary>
    string PartName { get; }

    /// <summary>A fresh temporary folder that becomes <c>Directory/name</c> when the task commits.</summary>
    string ReserveDirectory(string name);

    /// <summary>A temporary file path that becomes <c>Directory/name</c> when the task commits.</summary>
    string ReserveFile(string name);
}
