using System.CommandLine;
using DataPipeline.Core.Execution;
using DataPipeline.Jobs.Executors.Slurm;

namespace DataPipeline.Jobs.Cli;

/// <summary>Where a Slurm run stands: per stage, tasks done / failed / running / pending, and its job ids.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("RUN_DIR") { Description = "the run's output folder" };
        var command = new Command("status", "Show a Slurm run's progress: per stage, tasks done, failed, running, pending, cancelled, and the Slurm job ids. Exit code 0 when the run is complete, 1 when a task failed or was cancelled, 3 while jobs are still queued or running.")
        {
            dir,
        };
        command.SetAction(parse => CommandRunner.Guard(_ =>
        {
            var layout = new RunLayout(parse.GetValue(dir)!);
            var stages = new SlurmRunStatus(layout, new SlurmCli()).Read();
            SlurmRunStatus.Print(stages, new SlurmRunRecord(layout), Console.Out);
            return RunStatusCode(stages, layout);
        }));
        return command;
    }

    public const int InProgress = 3;

    public static int RunStatusCode(IReadOnlyList<SlurmRunStatus.StageStatus> stages, RunLayout layout)
    {
        if (stages.Any(s => s.Running > 0 || s.Pending > 0 || s.FinalizeState is "PENDING" or "RUNNING"))
        {
            return InProgress;
        }
        bool complete = stages.All(s => s.Done == s.Tasks) && File.Exists(layout.StatsPath);
        return complete ? ExitCodes.Success : ExitCodes.Failed;
    }
}
