using DataPipeline.Jobs.Cli;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary><c>datapipe run --executor slurm</c>: submit, and with --wait follow the jobs until they leave the queue.</summary>
internal static class SlurmRun
{
    public static int Submit(RunSettings settings, string pipelinePath, SlurmOptions options, bool overwrite, bool wait, CancellationToken cancel)
    {
        var cli = new SlurmCli();
        var submitted = new SlurmSubmitter(settings, pipelinePath, options, cli, Console.Out).Submit(overwrite);
        if (!wait)
        {
            return ExitCodes.Success;
        }
        // Interrupting the wait leaves the jobs running: they belong to the cluster now.
        while (cli.Active(submitted).Count > 0)
        {
            cancel.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            cancel.ThrowIfCancellationRequested();
        }
        var stages = new SlurmRunStatus(settings.Layout, cli).Read();
        SlurmRunStatus.Print(stages, new SlurmRunRecord(settings.Layout), Console.Out);
        int code = StatusCommand.RunStatusCode(stages, settings.Layout);
        if (code != ExitCodes.Success)
        {
            Console.Error.WriteLine($"error: the run did not complete; see the logs in {new SlurmRunRecord(settings.Layout).Dir}/logs, then submit the same command again to rerun only the unfinished tasks");
            return ExitCodes.Failed;
        }
        Console.Out.Write(File.ReadAllText(settings.Layout.SummaryPath));
        return code;
    }
}
