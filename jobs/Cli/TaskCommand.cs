using System.CommandLine;
using DataPipeline.Core.Config;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Cli;

/// <summary>Runs one task of one stage: what every executor (local, Slurm, a Spark launcher) ends up calling.</summary>
internal static class TaskCommand
{
    public static Command Create()
    {
        var pipeline = new Argument<string>("PIPELINE.yaml") { Description = "the pipeline file" };
        var stage = new Option<string>("--stage") { Description = "stage name", Required = true };
        var rank = new Option<int?>("--rank") { Description = "task index, 0 .. world-size-1 (required unless --finalize)" };
        var worldSize = new Option<int>("--world-size") { Description = "number of tasks T of the stage", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "output folder (overrides the pipeline's 'output')" };
        var finalize = new Option<bool>("--finalize") { Description = "instead of a task: once all T tasks committed, run the stage's once-per-stage work (merging shard indexes), and after the last stage write stats.json and summary.txt" };
        var format = new Option<string?>("--format") { Description = "document format override, as given to 'run'" };
        var onError = new Option<string?>("--on-error") { Description = "bad input policy override, as given to 'run'" };
        var command = new Command("task", "Run one task of one stage (rank R of T) and commit it with its completion marker. A task that already completed is skipped.")
        {
            pipeline, stage, rank, worldSize, output, finalize, format, onError,
        };
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            var config = PipelineConfig.Load(parse.GetValue(pipeline)!);
            RunCommand.ApplyOverrides(config, parse.GetValue(format), parse.GetValue(onError));
            var outDir = parse.GetValue(output) is { } o ? Path.GetFullPath(o)
                : config.Output is { } c ? config.ResolvePath(c)
                : throw new ConfigException("no output folder: give --output DIR or 'output:' in the pipeline file");
            var settings = new RunSettings(config, outDir, CommandRunner.AllSteps());
            int index = config.Stages.FindIndex(s => s.Name == parse.GetValue(stage));
            if (index < 0)
            {
                throw new ConfigException($"no stage '{parse.GetValue(stage)}'; stages: {string.Join(", ", config.Stages.Select(s => s.Name))}");
            }
            int t = parse.GetValue(worldSize);
            if (parse.GetValue(finalize))
            {
                if (t < 1)
                {
                    throw new ConfigException("--world-size must be at least 1");
                }
                StageCompletion.Run(settings, index, t, Console.Out);
                return ExitCodes.Success;
            }
            int r = parse.GetValue(rank) ?? throw new ConfigException("--rank is required (or --finalize)");
            if (t < 1 || r < 0 || r >= t)
            {
                throw new ConfigException($"--rank must be in 0..{t - 1} and --world-size at least 1");
            }
            if (settings.Layout.IsDone(config.Stages[index].Name, r))
            {
                Console.Error.WriteLine($"task {r} of stage '{config.Stages[index].Name}' is already complete");
                return ExitCodes.Success;
            }
            Directory.CreateDirectory(settings.Layout.StateDir);
            var plan = StagePlan.Create(settings, index, worldSizeOverride: t);
            var stats = MapTask.Run(settings, plan, r, null, cancel);
            Console.Error.WriteLine($"task {r}/{t} of stage '{plan.Stage.Name}': {stats.DocumentsIn:N0} documents in, {stats.DocumentsOut:N0} out, {stats.Errors.Values.Sum():N0} bad records, {stats.Seconds:F1} s");
            return ExitCodes.Success;
        }));
        return command;
    }
}
