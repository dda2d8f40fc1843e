using System.CommandLine;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>Reads any supported input and writes it in the chosen format: a one-stage pipeline with no steps.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var common = new OneStageOptions(
            "input files, folders or globs (jsonl[.gz|.zst], parquet, arrow, text files)",
            "output folder",
            "number of output parts T (default: one per input file, at least one per worker)",
            "jsonl, jsonl.gz, jsonl.zst or parquet",
            formatRequired: true);
        var command = new Command("convert", "Convert documents between formats. Bad records are counted and quarantined (or stop the run with --on-error fail).");
        common.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            return common.Run(parse, common.Pipeline(parse, "convert", []), cancel);
        }));
        return command;
    }
}
