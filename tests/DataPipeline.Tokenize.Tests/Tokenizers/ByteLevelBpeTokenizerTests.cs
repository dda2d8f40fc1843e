using System.Text;
using System.Text.Json;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

/// <summary>
/// GPT-2's vocab.json + merges.txt, rebuilt from the bundled gpt2 tiktoken ranks (GPT-2's ids are
/// those ranks; each merge is recovered as HF's tiktoken converter does), must tokenize the corpus
/// exactly as the bundled gpt2 encoding.
/// </summary>
public sealed class ByteLevelBpeTokenizerTests
{
    [Fact]
    public void Gpt2_vocab_and_merges_reproduce_the_bundled_gpt2_encoding()
    {
        using var dir = new TempDir();
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        // The bundled gpt2 file is "Capacity: 50257" and then one base64 token a line, its rank the line's index.
        var lines = Encoding.ASCII.GetString(TiktokenTokenizerTests.BundledRanks("Gpt2", "gpt2.tiktoken"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("Capacity:", StringComparison.Ordinal)).ToList();
        for (int rank = 0; rank < lines.Count; rank++)
        {
            ranks[ToUnicode(Convert.FromBase64String(lines[rank].Split(' ')[0]))] = rank;
        }
        var merges = new List<string>();
        foreach (var (token, rank) in ranks.OrderBy(kv => kv.Value))
        {
            if (token.Length > 1)
            {
                var pair = SplitAtRank(ranks, token, rank);
                merges.Add(pair.Left + " " + pair.Right);
            }
        }
        var vocab = new Dictionary<string, int>(ranks) { ["<|endoftext|>"] = 50256 };
        File.WriteAllText(dir.File("vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllLines(dir.File("merges.txt"), ["#version: 0.2", .. merges]);

        var bpe = TokenizerFactory.Create(TokenizerSpec.Bpe(dir.File("vocab.json"), dir.File("merges.txt")));
        var named = TokenizerFactory.Create(TokenizerSpec.Named("gpt2"));
        Assert.Equal(50256, bpe.EosId);
        Assert.Equal([31373, 995, 50256], bpe.Encode("hello world"));
        foreach (var text in SampleCorpus.Documents(part: 3, count: 100))
        {
            Assert.Equal(named.Encode(text), bpe.Encode(text));
        }
    }

    /// <summary>BPE on the token's symbols with merges of lower rank only; what is left is the merge that made it.</summary>
    private static (string Left, string Right) SplitAtRank(Dictionary<string, int> ranks, string token, int rank)
    {
        var parts = token.Select(c => c.ToString()).ToList();
        while (true)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
            {
                if (ranks.TryGetValue(parts[i] + parts[i + 1], out int r) && r < rank && r < bestRank)
                {
                    best = i;
                    bestRank = r;
                }
            }
            if (best < 0)
            {
                break;
            }
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
        Assert.Equal(2, parts.Count);
        return (parts[0], parts[1]);
    }

    /// <summary>GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest map to U+0100 on.</summary>
    private static string ToUnicode(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (byte b in bytes)
        {
            sb.Append(ByteChars.Value[b]);
        }
        return sb.ToString();
    }

    private static readonly Lazy<char[]> ByteChars = new(() =>
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    });
}
