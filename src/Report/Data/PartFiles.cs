namespace DataPipeline.Report.Data;

/// <summary>Finds a stage's document parts: <c>part-RRRRR.jsonl[.gz|.zst]</c> or <c>.parquet</c>.</summary>
public static class PartFiles
{
    private static readonly string[] Extensions = [".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet"];

    public static IReadOnlyList<string> In(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(dir, "part-*")
            .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)];
    }
}
