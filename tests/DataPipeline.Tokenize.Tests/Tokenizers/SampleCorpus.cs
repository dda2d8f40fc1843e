using System.Text.Json;
using ZstdSharp;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

/// <summary>Texts from the repository's samples/corpus/*.jsonl.zst, the real data the tokenizer tests run on.</summary>
internal static class SampleCorpus
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The "text" of the first <paramref name="count"/> documents of one part file.</summary>
    public static List<string> Documents(int part, int count)
    {
        var texts = new List<string>();
        using var file = File.OpenRead(Path.Combine(Folder.Value, $"part-{part:D5}.jsonl.zst"));
        using var zstd = new DecompressionStream(file);
        using var reader = new StreamReader(zstd);
        while (texts.Count < count && reader.ReadLine() is string line)
        {
            using var doc = JsonDocument.Parse(line);
            texts.Add(doc.RootElement.GetProperty("text").GetString() ?? "");
        }
        return texts;
    }

    /// <summary>
    /// Non-blank lines of those documents, up to about <paramref name="maxChars"/> characters:
    /// what spm_train and spm_encode read, one sentence a line. Lines with a carriage return are
    /// left out, since they would not survive a round trip through a text file line by line.
    /// </summary>
    public static List<string> Lines(int part, int maxChars)
    {
        var lines = new List<string>();
        long total = 0;
        foreach (var text in Documents(part, int.MaxValue))
        {
            foreach (var line in text.Split('\n'))
            {
                if (string.IsNullOrWhiteSpace(line) || line.Contains('\r'))
                {
                    continue;
                }
                lines.Add(line);
                total += line.Length;
                if (total >= maxChars)
                {
                    return lines;
                }
            }
        }
        return lines;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"No samples/corpus folder in any parent of {AppContext.BaseDirectory}.");
    }
}
