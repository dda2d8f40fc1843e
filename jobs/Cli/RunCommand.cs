using System.CommandLine;
using DataPipeline.Core.Config;
using DataPipeline.Core.Errors;
using DataPipeline.Jobs.Executors;
using DataPipeline.Jobs.Executors.Slurm;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var pipeline = new Argument<string>("PIPELINE.yaml") { Description = "the pipeline file" };
        var executor = new Option<string>("--executor") { Description = "where tasks run: local (this machine) or slurm (one sbatch job array per stage)", DefaultValueFactory = _ => "local" };
        var workers = new Option<int>("--workers", "-w") { Description = "worker threads for the local executor (default: one per core)" };
        var resume = new Option<bool>("--resume") { Description = "continue a run in the output folder: skip tasks that completed" };
        var overwrite = new Option<bool>("--overwrite") { Description = "delete an earlier run in the output folder and start over" };
        var output = new Option<string?>("--output", "-o") { Description = "output folder (overrides the pipeline's 'output')" };
        var format = new Option<string?>("--format") { Description = "document format of every stage: jsonl, jsonl.gz, jsonl.zst or parquet (overrides the pipeline's)" };
        var onError = new Option<string?>("--on-error") { Description = "bad input: skip (count and quarantine; default) or fail (stop at the first)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var slurm = new SlurmArguments();
        var noReport = new Option<bool>("--no-report") { Description = "do not write report.html at the end of the run" };
        var command = new Command("run", "Run a pipeline file: every stage, its tasks on a worker pool (or as Slurm job arrays), resumable. Writes stats.json, summary.txt and report.html in the output folder.")
        {
            pipeline, executor, workers, resume, overwrite, output, format, onError, quiet, noReport,
        };
        slurm.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            if (parse.GetValue(executor) is not ("local" or "slurm"))
            {
                throw new ConfigException($"unknown executor '{parse.GetValue(executor)}'; available: local, slurm");
            }
            if (parse.GetValue(executor) == "slurm")
            {
                // Checked first: without sbatch nothing else matters.
                SlurmCli.Require("sbatch", "--executor slurm");
            }
            var config = PipelineConfig.Load(parse.GetValue(pipeline)!);
            ApplyOverrides(config, parse.GetValue(format), parse.GetValue(onError));
            var outDir = parse.GetValue(output) is { } o ? Path.GetFullPath(o)
                : config.Output is { } c ? config.ResolvePath(c)
                : throw new ConfigException("no output folder: give --output DIR or 'output:' in the pipeline file");
            var settings = new RunSettings(config, outDir, CommandRunner.AllSteps());
            ValidateSteps(settings);
            if (parse.GetValue(executor) == "slurm")
            {
                return SlurmRun.Submit(settings, parse.GetValue(pipeline)!, slurm.Options(parse, settings.Config.Slurm), parse.GetValue(overwrite), slurm.Wait(parse), cancel);
            }
            var runner = new PipelineRunner(settings, new LocalExecutor(parse.GetValue(workers) > 0 ? parse.GetValue(workers) : config.Workers, parse.GetValue(quiet)), Console.Out);
            runner.PrepareOutput(parse.GetValue(resume), parse.GetValue(overwrite));
            var code = runner.Run(parse.GetValue(resume), cancel);
            if (code == ExitCodes.Success && !parse.GetValue(noReport))
            {
                WriteReport(outDir);
            }
            return code;
        }));
        return command;
    }

    /// <summary>
    /// The report is a view of a run that succeeded: failing to draw it (say, no usable font or
    /// native library) is a warning, never a failed run, and `datapipe report` can redo it.
    /// </summary>
    private static void WriteReport(string outDir)
    {
        try
        {
            ReportCommand.Print(DataPipeline.Report.ReportBuilder.Write(outDir), Console.Out);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: report not written ({ErrorText.Of(e)}); retry with 'datapipe report {outDir}'");
        }
    }

    public static void ApplyOverrides(PipelineConfig config, string? format, string? onError)
    {
        if (format is not null)
        {
            config.Format = format;
        }
        if (onError is not null)
        {
            if (onError is not ("skip" or "fail"))
            {
                throw new ConfigException($"--on-error must be skip or fail, not '{onError}'");
            }
            config.OnError = onError;
        }
        Ingest.Writing.OutputFormat.Parse(config.Format);
    }

    /// <summary>Builds every step once before any task runs, so a misspelt setting fails in a second, not an hour in.</summary>
    public static void ValidateSteps(RunSettings settings)
    {
        foreach (var stage in settings.Config.Stages)
        {
            foreach (var step in stage.Steps)
            {
                try
                {
                    settings.Steps.Create(step, settings.Config.BaseDirectory);
                }
                catch (DataPipelineException e)
                {
                    throw new ConfigException($"stage '{stage.Name}': {e.Message}");
                }
            }
        }
    }
}
