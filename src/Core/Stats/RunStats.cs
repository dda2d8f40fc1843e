using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataPipeline.Core.Stats;

/// <summary>One stage's totals over its tasks, as written to stats.json.</summary>
public sealed class StageStats
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("tasks")]
    public int Tasks { get; set; }

    [JsonPropertyName("documents_in")]
    public long DocumentsIn { get; set; }

    [JsonPropertyName("documents_out")]
    public long DocumentsOut { get; set; }

    [JsonPropertyName("bytes_in")]
    public long BytesIn { get; set; }

    [JsonPropertyName("bytes_out")]
    public long BytesOut { get; set; }

    [JsonPropertyName("input_file_bytes")]
    public long InputFileBytes { get; set; }

    /// <summary>Wall-clock seconds of the stage in the run that completed it (task seconds summed are in task_seconds).</summary>
    [JsonPropertyName("seconds")]
    public double Seconds { get; set; }

    [JsonPropertyName("task_seconds")]
    public double TaskSeconds { get; set; }

    [JsonPropertyName("errors")]
    public SortedDictionary<string, long> Errors { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("removed")]
    public SortedDictionary<string, long> Removed { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("file_faults")]
    public SortedDictionary<string, long> FileFaults { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("quarantine")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Quarantine { get; set; }

    [JsonPropertyName("output")]
    public string Output { get; set; } = "";

    [JsonPropertyName("steps")]
    public List<StepStats> Steps { get; set; } = [];

    /// <summary>Figures the stage's finalizer computed over all tasks (rates, merged totals).</summary>
    [JsonPropertyName("summary")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, double>? Summary { get; set; }

    [JsonPropertyName("files")]
    public List<FileStats> Files { get; set; } = [];

    public static StageStats Combine(string name, int tasks, IEnumerable<TaskStats> parts)
    {
        var s = new StageStats { Name = name, Tasks = tasks };
        var steps = new List<StepStats>();
        foreach (var t in parts.OrderBy(p => p.Rank))
        {
            s.DocumentsIn += t.DocumentsIn;
            s.DocumentsOut += t.DocumentsOut;
            s.BytesIn += t.BytesIn;
            s.BytesOut += t.BytesOut;
            s.InputFileBytes += t.InputFileBytes;
            s.TaskSeconds += t.Seconds;
            foreach (var (k, v) in t.Errors)
            {
                s.Errors[k] = s.Errors.GetValueOrDefault(k) + v;
            }
            foreach (var (k, v) in t.Removed)
            {
                s.Removed[k] = s.Removed.GetValueOrDefault(k) + v;
            }
            foreach (var (k, v) in t.FileFaults)
            {
                s.FileFaults[k] = s.FileFaults.GetValueOrDefault(k) + v;
            }
            for (int i = 0; i < t.Steps.Count; i++)
            {
                if (steps.Count <= i)
                {
                    steps.Add(new StepStats { Name = t.Steps[i].Name });
                }
                steps[i].MergeFrom(t.Steps[i]);
            }
            s.Files.AddRange(t.Files);
        }
        s.Steps = steps;
        return s;
    }
}

/// <summary>The whole of stats.json.</summary>
public sealed class RunStats
{
    [JsonPropertyName("pipeline")]
    public string Pipeline { get; set; } = "";

    [JsonPropertyName("output")]
    public string Output { get; set; } = "";

    [JsonPropertyName("finished_utc")]
    public string FinishedUtc { get; set; } = "";

    [JsonPropertyName("seconds")]
    public double Seconds { get; set; }

    [JsonPropertyName("complete")]
    public bool Complete { get; set; }

    [JsonPropertyName("stages")]
    public List<StageStats> Stages { get; set; } = [];

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
