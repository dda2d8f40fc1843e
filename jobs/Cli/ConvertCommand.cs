using System.CommandLine;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>Reads any supported input and writes it in the chosen format: a one-stage pipeline with no steps.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input", "-i") { Description = "input files, folders or globs (jsonl[.gz|.zst], parquet, arrow, text files)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "output folder", Required = true };
        var format = new Option<string>("--format") { Description = "jsonl, jsonl.gz, jsonl.zst or parquet", Required = true };
        var onError = new Option<string>("--on-error") { Description = "bad input: skip (count and quarantine) or fail (stop at the first, exit 1)", DefaultValueFactory = _ => "skip" };
        var workers = new Option<int>("--workers", "-w") { Description = "worker threads (default: one per core)" };
        var tasks = new Option<int>("--tasks") { Description = "number of output parts T (default: one per input file, at least one per worker)" };
        var inputFormat = new Option<string>("--input-format") { Description = "auto (from file names), jsonl, parquet, arrow or text", DefaultValueFactory = _ => "auto" };
        var textField = new Option<string>("--text-field") { Description = "name of the text field", DefaultValueFactory = _ => "text" };
        var idField = new Option<string>("--id-field") { Description = "name of the id field (ids are made from file and position when absent)", DefaultValueFactory = _ => "id" };
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted conversion into the same folder" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace an earlier conversion in the output folder" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var command = new Command("convert", "Convert documents between formats. Bad records are counted and quarantined (or stop the run with --on-error fail).")
        {
            input, output, format, onError, workers, tasks, inputFormat, textField, idField, resume, overwrite, quiet,
        };
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            var config = new PipelineConfig
            {
                Name = "convert",
                Input = new InputConfig
                {
                    Paths = [.. parse.GetValue(input)!],
                    Format = parse.GetValue(inputFormat)!,
                    TextField = parse.GetValue(textField)!,
                    IdField = parse.GetValue(idField)!,
                },
                Stages = [new StageConfig { Name = "convert", Tasks = Math.Max(0, parse.GetValue(tasks)) }],
                SourceText = "# datapipe convert " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)) + "\n",
            };
            RunCommand.ApplyOverrides(config, parse.GetValue(format), parse.GetValue(onError));
            return OneStageRun.Run(config, parse.GetValue(output)!, parse.GetValue(workers), parse.GetValue(quiet), parse.GetValue(resume), parse.GetValue(overwrite), cancel);
        }));
        return command;
    }
}
