using System.Text.Json;

namespace DataPipeline.Sampling.Tests;

/// <summary>One line of weights.jsonl.</summary>
internal sealed record GoldenWeight(string Id, double LogImportanceWeight, long Length)
{
    public static List<GoldenWeight> Read(string relative)
    {
        var list = new List<GoldenWeight>();
        foreach (string line in File.ReadLines(GoldenFiles.Dsir(relative)))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            list.Add(new GoldenWeight(
                root.GetProperty("id").GetString()!,
                root.GetProperty("log_importance_weight").GetDouble(),
                (long)root.GetProperty("length").GetDouble()));
        }

        return list;
    }
}
