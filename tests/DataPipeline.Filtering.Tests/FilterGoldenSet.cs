using System.Text.Json;

namespace DataPipeline.Filtering.Tests;

/// <summary>One filter's recorded decision in dev_expected.jsonl.</summary>
internal sealed record ExpectedDecision(bool Keep, string? Reason, string? TextSha1, int? TextChars);

/// <summary>One line of dev_input.jsonl with its line of dev_expected.jsonl.</summary>
internal sealed record GoldenDocument(
    string Id,
    string Text,
    int Chars,
    int WordCount,
    string WordsSha1,
    ExpectedDecision GopherQuality,
    ExpectedDecision GopherRepetition,
    ExpectedDecision C4,
    ExpectedDecision FineWeb);

/// <summary>golden/filters: 3000 documents with datatrove's decisions, loaded once per test run.</summary>
internal static class FilterGoldenSet
{
    private static readonly Lazy<IReadOnlyList<GoldenDocument>> Documents = new(Load);

    public static IReadOnlyList<GoldenDocument> All => Documents.Value;

    private static IReadOnlyList<GoldenDocument> Load()
    {
        var inputs = File.ReadLines(GoldenData.Golden("filters", "dev_input.jsonl")).ToList();
        var expected = File.ReadLines(GoldenData.Golden("filters", "dev_expected.jsonl")).ToList();
        Assert.Equal(inputs.Count, expected.Count);
        var docs = new List<GoldenDocument>(inputs.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            using var input = JsonDocument.Parse(inputs[i]);
            using var exp = JsonDocument.Parse(expected[i]);
            var e = exp.RootElement;
            string id = input.RootElement.GetProperty("id").GetString()!;
            Assert.Equal(id, e.GetProperty("id").GetString());
            var words = e.GetProperty("words");
            docs.Add(new GoldenDocument(
                id,
                input.RootElement.GetProperty("text").GetString()!,
                e.GetProperty("chars").GetInt32(),
                words.GetProperty("n").GetInt32(),
                words.GetProperty("sha1").GetString()!,
                Decision(e.GetProperty("gopher_quality")),
                Decision(e.GetProperty("gopher_repetition")),
                Decision(e.GetProperty("c4")),
                Decision(e.GetProperty("fineweb"))));
        }
        return docs;
    }

    private static ExpectedDecision Decision(JsonElement e)
    {
        string? sha = e.TryGetProperty("text_sha1", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        int? chars = e.TryGetProperty("text_chars", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
        string? reason = e.GetProperty("reason").ValueKind == JsonValueKind.String ? e.GetProperty("reason").GetString() : null;
        return new ExpectedDecision(e.GetProperty("keep").GetBoolean(), reason, sha, chars);
    }
}
