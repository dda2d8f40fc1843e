using DataPipeline.Filtering.Tokenization;
using Xunit.Abstractions;

namespace DataPipeline.Filtering.Tests;

/// <summary>The word tokenizer against spaCy's own words on the golden documents (sha1 of the word list).</summary>
public sealed class TokenizerGoldenTests(ITestOutputHelper output)
{
    [Fact]
    public void Words_match_spacy_token_by_token_on_every_dev_document()
    {
        var docs = FilterGoldenSet.All;
        var mismatches = new List<string>();
        string? dump = Environment.GetEnvironmentVariable("FILTERING_GOLDEN_DUMP");
        using var dumpWriter = dump is null ? null : new StreamWriter(Path.Combine(dump, "words.txt"));
        foreach (var doc in docs)
        {
            var words = WordList.Split(doc.Text).ToStrings().ToList();
            string sha = Sha1Hex.Of(string.Join("\n", words));
            if (sha != doc.WordsSha1)
            {
                mismatches.Add($"{doc.Id}: {words.Count} words, expected {doc.WordCount}");
                dumpWriter?.WriteLine($"### {doc.Id} ours={words.Count} expected={doc.WordCount}");
                dumpWriter?.WriteLine(string.Join("\u2016", words));
            }
        }
        double agreement = 1.0 - (double)mismatches.Count / docs.Count;
        output.WriteLine($"tokenizer agreement: {docs.Count - mismatches.Count}/{docs.Count} documents ({agreement:P2})");
        foreach (var m in mismatches.Take(50))
        {
            output.WriteLine(m);
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {docs.Count} documents tokenize differently; first: {string.Join("; ", mismatches.Take(5))}");
    }
}
