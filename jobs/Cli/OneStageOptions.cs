using System.CommandLine;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>
/// The options every one-shot verb (convert, filter, dedup, sample) shares — where the documents are,
/// how to read them, where the result goes, how many workers and tasks — and the one-stage pipeline
/// they build from them, so the verbs differ only in their own options and step.
/// </summary>
internal sealed class OneStageOptions
{
    public OneStageOptions(string inputDescription, string outputDescription, string tasksDescription, string formatDescription, bool formatRequired = false)
    {
        Input = new Option<string[]>("--input", "-i") { Description = inputDescription, Required = true, AllowMultipleArgumentsPerToken = true };
        Output = new Option<string>("--output", "-o") { Description = outputDescription, Required = true };
        Format = new Option<string?>("--format") { Description = formatDescription, Required = formatRequired };
        Tasks = new Option<int>("--tasks") { Description = tasksDescription };
    }

    public Option<string[]> Input { get; }

    public Option<string> Output { get; }

    public Option<string?> Format { get; }

    public Option<int> Tasks { get; }

    public Option<string> OnError { get; } = new("--on-error") { Description = "bad input: skip (count and quarantine) or fail (stop at the first, exit 1)", DefaultValueFactory = _ => "skip" };

    public Option<int> Workers { get; } = new("--workers", "-w") { Description = "worker threads (default: one per core)" };

    public Option<string> InputFormat { get; } = new("--input-format") { Description = "auto (from file names), jsonl, parquet, arrow or text", DefaultValueFactory = _ => "auto" };

    public Option<string> TextField { get; } = new("--text-field") { Description = "name of the text field", DefaultValueFactory = _ => "text" };

    public Option<string> IdField { get; } = new("--id-field") { Description = "name of the id field (ids are made from file and position when absent)", DefaultValueFactory = _ => "id" };

    public Option<bool> Resume { get; } = new("--resume") { Description = "continue an interrupted run into the same folder" };

    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "replace an earlier run in the output folder" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "no progress display" };

    /// <summary>The shared options, for a command's initializer (after its own).</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Input, Output, Format, OnError, Workers, Tasks, InputFormat, TextField, IdField, Resume, Overwrite, Quiet })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The one-stage pipeline of verb <paramref name="name"/>: its stage is named after it and runs <paramref name="steps"/>.</summary>
    public PipelineConfig Pipeline(ParseResult parse, string name, List<Dictionary<string, object?>> steps, bool keepRemoved = false) => new()
    {
        Name = name,
        Input = new InputConfig
        {
            Paths = [.. parse.GetValue(Input)!],
            Format = parse.GetValue(InputFormat)!,
            TextField = parse.GetValue(TextField)!,
            IdField = parse.GetValue(IdField)!,
        },
        KeepRemoved = keepRemoved,
        Stages = [new StageConfig { Name = name, Tasks = Math.Max(0, parse.GetValue(Tasks)), Steps = steps }],
        SourceText = $"# datapipe {name} " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)) + "\n",
    };

    /// <summary>Applies the format and error policy, then runs the pipeline into the output folder.</summary>
    public int Run(ParseResult parse, PipelineConfig config, CancellationToken cancel)
    {
        RunCommand.ApplyOverrides(config, parse.GetValue(Format), parse.GetValue(OnError));
        return OneStageRun.Run(config, parse.GetValue(Output)!, parse.GetValue(Workers), parse.GetValue(Quiet), parse.GetValue(Resume), parse.GetValue(Overwrite), cancel);
    }
}
