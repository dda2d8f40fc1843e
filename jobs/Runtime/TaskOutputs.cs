using DataPipeline.Core.Execution;
using DataPipeline.Core.Steps;

namespace DataPipeline.Jobs.Runtime;

/// <summary>A task's own outputs for sink steps, reserved through the task's commit so they appear only on commit.</summary>
internal sealed class TaskOutputs(TaskCommit commit, string directory, int rank) : ITaskOutputs
{
    public string Directory => directory;

    public string PartName => "part-" + RunLayout.RankName(rank);

    public string ReserveDirectory(string name) => commit.ReserveDirectory(Path.Combine(directory, name));

    public string ReserveFile(string name) => commit.Reserve(Path.Combine(directory, name));
}
