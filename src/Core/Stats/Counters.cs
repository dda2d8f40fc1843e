using System.Text.Json.Serialization;

namespace DataPipeline.Core.Stats;

/// <summary>Counts for one step of one task. Steps update it from their own task thread only.</summary>
public sealed class StepStats
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("documents_in")]
    public long DocumentsIn { get; set; }

    [JsonPropertyName("documents_out")]
    public long DocumentsOut { get; set; }

    [JsonPropertyName("bytes_in")]
    public long BytesIn { get; set; }

    [JsonPropertyName("bytes_out")]
    public long BytesOut { get; set; }

    [JsonPropertyName("removed")]
    public SortedDictionary<string, long> Removed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Step-specific figures (token counts, cluster sizes, ...), summed across tasks.</summary>
    [JsonPropertyName("counters")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedDictionary<string, double>? Counters { get; set; }

    public void Remove(string reason, long count = 1)
    {
        Removed[reason] = Removed.GetValueOrDefault(reason) + count;
    }

    public void Add(string counter, double value)
    {
        Counters ??= new(StringComparer.Ordinal);
        Counters[counter] = Counters.GetValueOrDefault(counter) + value;
    }

    public void MergeFrom(StepStats other)
    {
        DocumentsIn += other.DocumentsIn;
        DocumentsOut += other.DocumentsOut;
        BytesIn += other.BytesIn;
        BytesOut += other.BytesOut;
        foreach (var (k, v) in other.Removed)
        {
            Remove(k, v);
        }
        if (other.Counters is not null)
        {
            foreach (var (k, v) in other.Counters)
            {
                Add(k, v);
            }
        }
    }
}

/// <summary>Per input file: records seen, documents read, bad records.</summary>
public sealed class FileStats
{
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("records")]
    public long Records { get; set; }

    [JsonPropertyName("documents")]
    public long Documents { get; set; }

    [JsonPropertyName("errors")]
    public long Errors { get; set; }

    /// <summary>Set when the file could not be read to its end (truncated or corrupt); the message says why.</summary>
    [JsonPropertyName("fault")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Fault { get; set; }
}

/// <summary>What one task of a stage did; stored in its completion marker and summed into stats.json.</summary>
public sealed class TaskStats
{
    [JsonPropertyName("stage")]
    public string Stage { get; set; } = "";

    [JsonPropertyName("rank")]
    public int Rank { get; set; }

    [JsonPropertyName("world_size")]
    public int WorldSize { get; set; }

    [JsonPropertyName("documents_in")]
    public long DocumentsIn { get; set; }

    [JsonPropertyName("documents_out")]
    public long DocumentsOut { get; set; }

    [JsonPropertyName("bytes_in")]
    public long BytesIn { get; set; }

    [JsonPropertyName("bytes_out")]
    public long BytesOut { get; set; }

    /// <summary>Bytes of input files read (compressed size where compressed).</summary>
    [JsonPropertyName("input_file_bytes")]
    public long InputFileBytes { get; set; }

    [JsonPropertyName("seconds")]
    public double Seconds { get; set; }

    [JsonPropertyName("errors")]
    public SortedDictionary<string, long> Errors { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("removed")]
    public SortedDictionary<string, long> Removed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Files that could not be read to their end (truncated, corrupt, wrong type), by reason.</summary>
    [JsonPropertyName("file_faults")]
    public SortedDictionary<string, long> FileFaults { get; set; } = new(StringComparer.Ordinal);

    [JsonPropertyName("steps")]
    public List<StepStats> Steps { get; set; } = [];

    [JsonPropertyName("files")]
    public List<FileStats> Files { get; set; } = [];

    [JsonPropertyName("outputs")]
    public List<string> Outputs { get; set; } = [];

    [JsonPropertyName("quarantine")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Quarantine { get; set; }

    public void Error(string reason, long count = 1) => Errors[reason] = Errors.GetValueOrDefault(reason) + count;

    public void FileFault(string reason) => FileFaults[reason] = FileFaults.GetValueOrDefault(reason) + 1;
}
