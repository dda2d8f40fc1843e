using System.Buffers;
using System.Text.Json;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// index.json and the embedded shard config, written as <c>json.dump(obj, sort_keys=True)</c>
/// writes them (keys below are listed in their sorted order), and read back in any key order.
/// </summary>
public static class MdsIndexJson
{
    /// <summary>The bytes every shard of this config embeds after its offset table.</summary>
    public static byte[] ConfigBytes(MdsShardConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new PythonJsonWriter(buffer);
        w.BeginObject();
        WriteConfigKeysBefore(w, config);
        WriteConfigKeysAfter(w, config);
        w.EndObject();
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] IndexBytes(IReadOnlyList<MdsShardInfo> shards)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var w = new PythonJsonWriter(buffer);
        w.BeginObject();
        w.PropertyName("shards");
        w.BeginArray();
        foreach (var shard in shards)
        {
            WriteShard(w, shard);
        }
        w.EndArray();
        w.PropertyName("version");
        w.Int(MdsShardConfig.Version);
        w.EndObject();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteShard(PythonJsonWriter w, MdsShardInfo shard)
    {
        w.BeginObject();
        WriteConfigKeysBefore(w, shard.Config);
        w.PropertyName("raw_data");
        WriteFileInfo(w, shard.RawData);
        w.PropertyName("samples");
        w.Int(shard.Samples);
        WriteConfigKeysAfter(w, shard.Config);
        w.PropertyName("zip_data");
        if (shard.ZipData is null)
        {
            w.Null();
        }
        else
        {
            WriteFileInfo(w, shard.ZipData);
        }
        w.EndObject();
    }

    // Config keys that sort before "raw_data": column_encodings .. hashes.
    private static void WriteConfigKeysBefore(PythonJsonWriter w, MdsShardConfig c)
    {
        w.PropertyName("column_encodings");
        StringArray(w, c.ColumnEncodings);
        w.PropertyName("column_names");
        StringArray(w, c.ColumnNames);
        w.PropertyName("column_sizes");
        w.BeginArray();
        foreach (int? size in c.ColumnSizes)
        {
            w.NullableInt(size);
        }
        w.EndArray();
        w.PropertyName("compression");
        w.NullableString(c.Compression);
        w.PropertyName("format");
        w.String(MdsShardConfig.Format);
        w.PropertyName("hashes");
        StringArray(w, c.Hashes);
    }

    // Config keys that sort after "samples": size_limit, version.
    private static void WriteConfigKeysAfter(PythonJsonWriter w, MdsShardConfig c)
    {
        w.PropertyName("size_limit");
        w.NullableInt(c.SizeLimit);
        w.PropertyName("version");
        w.Int(MdsShardConfig.Version);
    }

    private static void WriteFileInfo(PythonJsonWriter w, MdsFileInfo info)
    {
        w.BeginObject();
        w.PropertyName("basename");
        w.String(info.Basename);
        w.PropertyName("bytes");
        w.Int(info.Bytes);
        w.PropertyName("hashes");
        w.BeginObject();
        foreach (var key in info.Hashes.Keys.Order(CodePointComparer.Instance))
        {
            w.PropertyName(key);
            w.String(info.Hashes[key]);
        }
        w.EndObject();
        w.EndObject();
    }

    private static void StringArray(PythonJsonWriter w, IReadOnlyList<string> items)
    {
        w.BeginArray();
        foreach (var s in items)
        {
            w.String(s);
        }
        w.EndArray();
    }

    /// <summary>Parses index.json; <paramref name="source"/> names the file in errors.</summary>
    public static IReadOnlyList<MdsShardInfo> Parse(ReadOnlySpan<byte> json, string source)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            int version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : -1;
            if (version != MdsShardConfig.Version)
            {
                throw new InvalidDataException($"{source}: unsupported index version {(version < 0 ? "(missing)" : version)}; only version 2 exists.");
            }
            var shards = new List<MdsShardInfo>();
            int i = 0;
            foreach (var s in Required(root, "shards", source).EnumerateArray())
            {
                shards.Add(ParseShard(s, $"{source}: shard {i}"));
                i++;
            }
            return shards;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{source}: malformed index: {e.Message}", e);
        }
    }

    private static MdsShardInfo ParseShard(JsonElement s, string where)
    {
        string format = Required(s, "format", where).GetString() ?? "";
        if (format != MdsShardConfig.Format)
        {
            throw new InvalidDataException($"{where}: format '{format}' is not MDS.");
        }
        var config = new MdsShardConfig(
            Strings(Required(s, "column_encodings", where)),
            Strings(Required(s, "column_names", where)),
            Required(s, "column_sizes", where).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (int?)null : e.GetInt32()).ToArray(),
            OptionalString(s, "compression"),
            s.TryGetProperty("hashes", out var h) ? Strings(h) : [],
            s.TryGetProperty("size_limit", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt64() : null);
        if (config.ColumnEncodings.Count != config.ColumnNames.Count || config.ColumnSizes.Count != config.ColumnNames.Count)
        {
            throw new InvalidDataException($"{where}: column_names, column_encodings and column_sizes differ in length.");
        }
        var raw = ParseFileInfo(Required(s, "raw_data", where)) ?? throw new InvalidDataException($"{where}: raw_data is null.");
        var zip = s.TryGetProperty("zip_data", out var z) ? ParseFileInfo(z) : null;
        return new MdsShardInfo(config, raw, zip, Required(s, "samples", where).GetInt64());
    }

    private static MdsFileInfo? ParseFileInfo(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var hashes = new Dictionary<string, string>();
        if (e.TryGetProperty("hashes", out var h) && h.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in h.EnumerateObject())
            {
                hashes[p.Name] = p.Value.GetString() ?? "";
            }
        }
        return new MdsFileInfo(e.GetProperty("basename").GetString() ?? "", e.GetProperty("bytes").GetInt64(), hashes);
    }

    private static JsonElement Required(JsonElement e, string name, string where) =>
        e.TryGetProperty(name, out var v) ? v : throw new InvalidDataException($"{where}: missing '{name}'.");

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString() ?? "").ToArray();
}
