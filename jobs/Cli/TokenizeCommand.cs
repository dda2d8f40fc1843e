using System.CommandLine;
using System.Globalization;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>Tokenize, pack and write streaming shards: a one-stage pipeline whose only step is tokenize.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input", "-i") { Description = "input files, folders or globs (any supported document format)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "output folder: the merged dataset (MDS index.json, or Megatron tokens.bin/.idx) over one part per task", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "cl100k_base, o200k_base, r50k_base, gpt2, or a tokenizer file (.tiktoken / Llama-3 tokenizer.model, SentencePiece .model, vocab.json or a folder with vocab.json + merges.txt)", Required = true };
        var seqLen = new Option<int>("--seq-len") { Description = "sequence length L of every MDS sample", DefaultValueFactory = _ => 2048 };
        var packing = new Option<string>("--packing") { Description = "concat (default for mds), bestfit or none", DefaultValueFactory = _ => "" };
        var format = new Option<string>("--format") { Description = "mds or megatron", DefaultValueFactory = _ => "mds" };
        var compression = new Option<string?>("--compression") { Description = "MDS shard compression: zstd (default), zstd:N, br, gz or none" };
        var shardSize = new Option<string?>("--shard-size") { Description = "MDS shard size limit, e.g. 64mb (default 67108864 bytes)" };
        var padId = new Option<int?>("--pad-id") { Description = "padding id (needed by bestfit, none, and --keep-remainder)" };
        var appendEod = new Option<bool>("--append-eod") { Description = "megatron: append the end-of-document id to every document" };
        var noEos = new Option<bool>("--no-eos") { Description = "mds: do not add EOS after each document" };
        var addBos = new Option<bool>("--add-bos") { Description = "add BOS before each document" };
        var workers = new Option<int>("--workers", "-w") { Description = "worker threads (default: one per core)" };
        var tasks = new Option<int>("--tasks") { Description = "number of tasks T (default: one per input file, at least one per worker)" };
        var textField = new Option<string>("--text-field") { Description = "name of the text field", DefaultValueFactory = _ => "text" };
        var onError = new Option<string>("--on-error") { Description = "bad input: skip or fail", DefaultValueFactory = _ => "skip" };
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted run into the same folder" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace an earlier run in the output folder" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var command = new Command("tokenize", "Tokenize documents, pack them to --seq-len and write MDS or Megatron shards, one part per task merged into one dataset.")
        {
            input, output, tokenizer, seqLen, packing, format, compression, shardSize, padId, appendEod, noEos, addBos, workers, tasks, textField, onError, resume, overwrite, quiet,
        };
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            var settings = new Dictionary<object, object?>
            {
                ["tokenizer"] = Path.IsPathRooted(parse.GetValue(tokenizer)!) || !File.Exists(parse.GetValue(tokenizer)!) && !Directory.Exists(parse.GetValue(tokenizer)!)
                    ? parse.GetValue(tokenizer) : Path.GetFullPath(parse.GetValue(tokenizer)!),
                ["format"] = parse.GetValue(format),
                ["add_bos"] = parse.GetValue(addBos) ? "true" : "false",
            };
            if (parse.GetValue(format) == "mds")
            {
                settings["seq_len"] = parse.GetValue(seqLen).ToString(CultureInfo.InvariantCulture);
                settings["add_eos"] = parse.GetValue(noEos) ? "false" : "true";
                if (parse.GetValue(shardSize) is { } size)
                {
                    settings["shard_size"] = size;
                }
            }
            else
            {
                settings["append_eod"] = parse.GetValue(appendEod) ? "true" : "false";
            }
            if (parse.GetValue(packing) is { Length: > 0 } mode)
            {
                settings["packing"] = mode;
            }
            if (parse.GetValue(compression) is { } c)
            {
                settings["compression"] = c;
            }
            if (parse.GetValue(padId) is { } pad)
            {
                settings["pad_id"] = pad.ToString(CultureInfo.InvariantCulture);
            }
            var config = new PipelineConfig
            {
                Name = "tokenize",
                Input = new InputConfig { Paths = [.. parse.GetValue(input)!], TextField = parse.GetValue(textField)! },
                Stages = [new StageConfig { Name = "tokenize", Tasks = Math.Max(0, parse.GetValue(tasks)), Steps = [new Dictionary<string, object?> { ["tokenize"] = settings }] }],
                SourceText = "# datapipe tokenize " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)) + "\n",
            };
            RunCommand.ApplyOverrides(config, null, parse.GetValue(onError));
            return OneStageRun.Run(config, parse.GetValue(output)!, parse.GetValue(workers), parse.GetValue(quiet), parse.GetValue(resume), parse.GetValue(overwrite), cancel);
        }));
        return command;
    }
}
