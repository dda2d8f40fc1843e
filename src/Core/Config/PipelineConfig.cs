using DataPipeline.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DataPipeline.Core.Config;

/// <summary>A pipeline file: where the documents come from, the stages they go through, where they land.</summary>
public sealed class PipelineConfig
{
    public string Name { get; set; } = "pipeline";

    public InputConfig Input { get; set; } = new();

    /// <summary>Output folder; relative paths are taken from the pipeline file's folder. <c>--output</c> overrides it.</summary>
    public string? Output { get; set; }

    /// <summary>Format of every stage's documents: jsonl, jsonl.gz, jsonl.zst or parquet.</summary>
    public string Format { get; set; } = "jsonl.zst";

    /// <summary>skip (count, quarantine, go on) or fail (stop at the first bad record).</summary>
    public string OnError { get; set; } = "skip";

    /// <summary>Write removed documents with the step and reason under removed/ in the output folder.</summary>
    public bool KeepRemoved { get; set; }

    /// <summary>Worker threads for the local executor; 0 means one per core.</summary>
    public int Workers { get; set; }

    public List<StageConfig> Stages { get; set; } = [];

    /// <summary>Batch settings for <c>--executor slurm</c>; the command line overrides each one.</summary>
    public SlurmConfig? Slurm { get; set; }

    /// <summary>Folder the file was loaded from; relative paths in it are resolved against this.</summary>
    [YamlIgnore]
    public string BaseDirectory { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>The file's text as loaded, so a resumed run can check it is the same pipeline.</summary>
    [YamlIgnore]
    public string SourceText { get; set; } = "";

    public string ResolvePath(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public static PipelineConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataPipelineException($"pipeline file not found: {path}");
        }
        var text = File.ReadAllText(path);
        var config = Parse(text, path);
        config.BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return config;
    }

    public static PipelineConfig Parse(string yaml, string sourceName = "<pipeline>")
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build();
        PipelineConfig? config;
        try
        {
            config = deserializer.Deserialize<PipelineConfig>(yaml);
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is null ? "" : " (" + e.InnerException.Message + ")";
            throw new DataPipelineException($"{sourceName}, line {e.Start.Line}, column {e.Start.Column}: {e.Message}{inner}", e);
        }
        config ??= new PipelineConfig();
        config.SourceText = yaml;
        config.Validate(sourceName);
        return config;
    }

    private void Validate(string sourceName)
    {
        if (Stages.Count == 0)
        {
            throw new DataPipelineException($"{sourceName}: the pipeline has no stages");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in Stages)
        {
            if (string.IsNullOrWhiteSpace(stage.Name))
            {
                throw new DataPipelineException($"{sourceName}: every stage needs a name");
            }
            if (!names.Add(stage.Name))
            {
                throw new DataPipelineException($"{sourceName}: two stages are named '{stage.Name}'");
            }
            if (stage.Name.IndexOfAny(['/', '\\', ' ']) >= 0 || stage.Name.StartsWith('.'))
            {
                throw new DataPipelineException($"{sourceName}: stage name '{stage.Name}' must be a plain folder name");
            }
            if (stage.Tasks < 0)
            {
                throw new DataPipelineException($"{sourceName}: stage '{stage.Name}': tasks must be 0 (automatic) or more");
            }
        }
        if (OnError is not ("skip" or "fail"))
        {
            throw new DataPipelineException($"{sourceName}: on_error must be 'skip' or 'fail', not '{OnError}'");
        }
    }
}

public sealed class InputConfig
{
    /// <summary>Files, folders or globs (<c>*</c>, <c>?</c>, <c>**</c>).</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>auto (from the extension), jsonl, parquet, arrow or text.</summary>
    public string Format { get; set; } = "auto";

    public string TextField { get; set; } = "text";

    public string IdField { get; set; } = "id";
}

public sealed class StageConfig
{
    public string Name { get; set; } = "";

    /// <summary>Number of tasks T; 0 picks one per input file (at least 1). Keep it fixed for a run: resume relies on it.</summary>
    public int Tasks { get; set; }

    /// <summary>Each step is a one-key map: <c>- length_filter: {min_chars: 100}</c>.</summary>
    public List<Dictionary<string, object?>> Steps { get; set; } = [];

    /// <summary>
    /// Set by the runtime, never read from a pipeline file: the stage reads the same input, split the same
    /// way, as the named earlier stage instead of that stage's output (the last pass of a dedup stage
    /// re-reads what the signature pass read, so document positions line up).
    /// </summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string? InputOf { get; set; }
}

/// <summary>
/// The optional <c>slurm:</c> section: how each stage's job array is submitted. Unset values are
/// left to the cluster's defaults (no #SBATCH line is written for them).
/// </summary>
public sealed class SlurmConfig
{
    public string? Partition { get; set; }

    /// <summary>Time limit per task, in any form sbatch accepts (<c>01:00:00</c>, <c>2-00:00:00</c>).</summary>
    public string? Time { get; set; }

    public int CpusPerTask { get; set; }

    /// <summary>Memory per task, in sbatch's form (<c>4G</c>, <c>500M</c>).</summary>
    public string? Mem { get; set; }

    public string? Qos { get; set; }

    public string? Account { get; set; }

    /// <summary>Most array tasks of one stage running at once (the <c>%N</c> of <c>--array</c>); 0 = no limit.</summary>
    public int MaxParallel { get; set; }

    /// <summary>Further sbatch arguments, written as #SBATCH lines as given (<c>--constraint=ssd</c>).</summary>
    public List<string> ExtraArgs { get; set; } = [];

    /// <summary>A shell line each job runs before datapipe (<c>module load dotnet</c>, <c>source env.sh</c>).</summary>
    public string? Setup { get; set; }
}
