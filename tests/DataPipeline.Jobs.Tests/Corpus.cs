using System.Text;
using System.Text.Json;
using DataPipeline.Core.Compression;

namespace DataPipeline.Jobs.Tests;

/// <summary>Test inputs and output readers.</summary>
internal static class Corpus
{
    /// <summary>Real-text documents from the bundled sample corpus, with their original JSON lines.</summary>
    public static List<string> SampleLines(int count)
    {
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Cli.RepoRoot, "samples", "corpus"), "*.jsonl.zst").Order(StringComparer.Ordinal))
        {
            using var s = Codecs.OpenRead(File.OpenRead(file), Codec.Zstd);
            using var r = new StreamReader(s, Encoding.UTF8);
            while (r.ReadLine() is { } line)
            {
                lines.Add(line);
                if (lines.Count == count)
                {
                    return lines;
                }
            }
        }
        return lines;
    }

    public static void WriteCompressed(string path, string content, Codec codec)
    {
        using var fs = File.Create(path);
        using var s = Codecs.OpenWrite(fs, codec);
        s.Write(Encoding.UTF8.GetBytes(content));
    }

    /// <summary>Every JSON line of every part file in a folder, in part order.</summary>
    public static List<JsonElement> ReadParts(string dir, string pattern = "part-*")
    {
        var result = new List<JsonElement>();
        foreach (var file in Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal))
        {
            Stream s = File.OpenRead(file);
            s = Codecs.OpenRead(s, Codecs.FromFileName(file));
            using var r = new StreamReader(s, Encoding.UTF8);
            while (r.ReadLine() is { } line)
            {
                result.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }
        return result;
    }

    public static JsonElement Stats(string outDir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stats.json"))).RootElement.Clone();
}
