using System.Text.Json;
using DataPipeline.Core.Documents;

namespace DataPipeline.Ingest.Writing;

/// <summary>
/// How our Parquet files keep metadata that does not map onto one flat column type, so that
/// JSONL → Parquet → JSONL gives back every field:
/// <list type="bullet">
/// <item>a field whose values are objects, arrays, explicit nulls or of mixed types is stored as a
/// string column of raw JSON, named in the file's key-value metadata under <see cref="JsonColumnsKey"/>;</item>
/// <item>a field that appears only after the first row group fixed the schema (or that does not fit
/// its column's type) goes into <see cref="OverflowColumn"/>, a JSON object per row.</item>
/// </list>
/// Other tools see ordinary columns; the overflow column is null in files where nothing overflowed.
/// </summary>
public static class ParquetConventions
{
    public const string JsonColumnsKey = "datapipe.json_columns";

    public const string OverflowColumn = "_datapipe_extra";

    public static HashSet<string> JsonColumns(IReadOnlyDictionary<string, string>? metadata)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (metadata is not null && metadata.TryGetValue(JsonColumnsKey, out var list) && !string.IsNullOrEmpty(list))
        {
            foreach (var name in JsonSerializer.Deserialize<string[]>(list) ?? [])
            {
                set.Add(name);
            }
        }
        return set;
    }

    public static void MergeOverflow(DocumentMetadata metadata, byte[] overflowJson)
    {
        using var doc = JsonDocument.Parse(overflowJson);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            metadata.SetRaw(p.Name, System.Text.Encoding.UTF8.GetBytes(p.Value.GetRawText()));
        }
    }
}
