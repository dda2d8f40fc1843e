using System.CommandLine;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Execution;
using DataPipeline.Jobs.Executors.Slurm;

namespace DataPipeline.Jobs.Cli;

/// <summary>Cancels a Slurm run's jobs that are still queued or running; completed tasks are kept.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("RUN_DIR") { Description = "the run's output folder" };
        var command = new Command("cancel", "Cancel a Slurm run's queued and running jobs (scancel). Completed tasks are kept; submitting again resumes.")
        {
            dir,
        };
        command.SetAction(parse => CommandRunner.Guard(_ =>
        {
            var layout = new RunLayout(parse.GetValue(dir)!);
            var record = new SlurmRunRecord(layout);
            if (!record.Exists)
            {
                throw new ConfigException($"{layout.Root} holds no Slurm run ({record.PlanPath} is missing)");
            }
            SlurmCli.Require("scancel", "datapipe cancel");
            var cli = new SlurmCli();
            var active = cli.Active(record.ReadJobs().Select(j => j.JobId)).Order(StringComparer.Ordinal).ToList();
            if (active.Count == 0)
            {
                Console.Out.WriteLine("no job of this run is queued or running");
                return ExitCodes.Success;
            }
            var r = cli.Run("scancel", [.. active]);
            if (r.ExitCode != 0)
            {
                throw new DataPipelineException("scancel failed: " + (r.Stderr + r.Stdout).Trim());
            }
            Console.Out.WriteLine("cancelled jobs " + string.Join(", ", active));
            return ExitCodes.Success;
        }));
        return command;
    }
}
