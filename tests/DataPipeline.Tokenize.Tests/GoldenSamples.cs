using System.Text.Json;

namespace DataPipeline.Tokenize.Tests;

/// <summary>golden/mds/samples.jsonl: the exact inputs upstream's MDSWriter was given.</summary>
internal sealed record GoldenSample(long Id, string Text, int[] Tokens, byte[] TokensBytes)
{
    public static readonly Dictionary<string, string> Columns = new()
    {
        ["id"] = "int",
        ["text"] = "str",
        ["tokens"] = "ndarray:int32",
        ["tokens_bytes"] = "bytes",
    };

    public static List<GoldenSample> Load()
    {
        var result = new List<GoldenSample>();
        foreach (var line in File.ReadLines(GoldenData.Golden("mds", "samples.jsonl")))
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            result.Add(new GoldenSample(
                r.GetProperty("id").GetInt64(),
                r.GetProperty("text").GetString()!,
                r.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray(),
                Convert.FromHexString(r.GetProperty("tokens_bytes_hex").GetString()!)));
        }
        return result;
    }
}
