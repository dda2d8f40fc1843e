using System.Text;
using System.Text.Json;
using DataPipeline.Core.Compression;

namespace DataPipeline.Dedup.Tests;

/// <summary>The sample corpus and the vectors computed from datatrove's own code (Upstream/make_vectors.py).</summary>
internal static class TestData
{
    private static readonly Lazy<List<(string File, string Text)>> CorpusTexts = new(LoadCorpus);
    private static readonly Lazy<JsonElement> Vectors = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Upstream", "upstream_vectors.json"))).RootElement);

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DataPipeline.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>All 2,400 documents of samples/corpus, in file then line order (the order make_vectors.py uses).</summary>
    public static List<(string File, string Text)> Corpus => CorpusTexts.Value;

    public static JsonElement Upstream => Vectors.Value;

    public static ulong[] UlongArray(JsonElement e) => e.EnumerateArray().Select(x => x.GetUInt64()).ToArray();

    private static List<(string, string)> LoadCorpus()
    {
        var result = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot, "samples", "corpus"), "*.jsonl.zst").Order(StringComparer.Ordinal))
        {
            using var s = Codecs.OpenRead(File.OpenRead(file), Codec.Zstd);
            using var r = new StreamReader(s, Encoding.UTF8);
            while (r.ReadLine() is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                result.Add((Path.GetFileName(file), doc.RootElement.GetProperty("text").GetString()!));
            }
        }
        return result;
    }

    /// <summary>Random texts over a small vocabulary (so shingles repeat) with some non-ASCII words.</summary>
    public static List<string> RandomTexts(int count, int seed)
    {
        string[] vocab = ["the", "cat", "sat", "on", "mat", "über", "naïve", "數據", "1984", "don't", "a", "b", "c", "😀x", "ΣΑΣ", "and"];
        var rng = new Random(seed);
        var texts = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            int words = rng.Next(0, 60);
            texts.Add(string.Join(rng.Next(4) == 0 ? ",  " : " ", Enumerable.Range(0, words).Select(_ => vocab[rng.Next(vocab.Length)])));
        }
        return texts;
    }
}
