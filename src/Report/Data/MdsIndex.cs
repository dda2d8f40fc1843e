using System.Text.Json;

namespace DataPipeline.Report.Data;

/// <summary>One shard of an MDS dataset, as its index.json lists it.</summary>
public sealed record MdsShard(string Name, long Samples, long RawBytes, long? ZipBytes);

/// <summary>Reads the shard list of a merged MDS dataset (<c>index.json</c> version 2).</summary>
public static class MdsIndex
{
    public static IReadOnlyList<MdsShard>? TryRead(string dir)
    {
        var path = Path.Combine(dir, "index.json");
        if (!File.Exists(path))
        {
            return null;
        }
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!json.RootElement.TryGetProperty("shards", out var shards) || shards.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var list = new List<MdsShard>();
        foreach (var s in shards.EnumerateArray())
        {
            var raw = s.GetProperty("raw_data");
            long? zip = s.TryGetProperty("zip_data", out var z) && z.ValueKind == JsonValueKind.Object ? z.GetProperty("bytes").GetInt64() : null;
            var name = z.ValueKind == JsonValueKind.Object ? z.GetProperty("basename").GetString() : raw.GetProperty("basename").GetString();
            list.Add(new MdsShard(name ?? "", s.GetProperty("samples").GetInt64(), raw.GetProperty("bytes").GetInt64(), zip));
        }
        return list;
    }
}
