using DataPipeline.Core.Config;
using DataPipeline.Jobs.Executors;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Cli;

/// <summary>
/// What the single-purpose verbs (convert, tokenize) share once they have built their one-stage
/// pipeline: outputs straight into the output folder, at least one task per worker, the local
/// executor, and the same overwrite/resume rules as <c>run</c>.
/// </summary>
internal static class OneStageRun
{
    public static int Run(PipelineConfig config, string outputDir, int workers, bool quiet, bool resume, bool overwrite, CancellationToken cancel)
    {
        var executor = new LocalExecutor(workers, quiet);
        var settings = new RunSettings(config, Path.GetFullPath(outputDir), CommandRunner.AllSteps(), flatOutput: true);
        RunCommand.ValidateSteps(settings);
        var runner = new PipelineRunner(settings, executor, Console.Out);
        runner.PrepareOutput(resume, overwrite);
        return runner.Run(resume, cancel, minimumTasks: executor.Workers);
    }
}
