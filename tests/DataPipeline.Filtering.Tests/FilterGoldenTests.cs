using DataPipeline.Core.Documents;
using DataPipeline.Filtering.Steps;
using Xunit.Abstractions;

namespace DataPipeline.Filtering.Tests;

/// <summary>Each filter with default settings against datatrove's recorded decisions on the 3000 dev documents.</summary>
public sealed class FilterGoldenTests(ITestOutputHelper output)
{
    private static Document Doc(GoldenDocument g) => new(g.Id, g.Text, new DocumentOrigin("dev_input.jsonl", 0, OriginKind.Line));

    private void AssertAgreement(string filter, Func<GoldenDocument, string?> mismatch)
    {
        var docs = FilterGoldenSet.All;
        var mismatches = docs.Select(d => (d.Id, Problem: mismatch(d))).Where(m => m.Problem is not null).ToList();
        output.WriteLine($"{filter}: {docs.Count - mismatches.Count}/{docs.Count} decisions and reasons agree ({1 - (double)mismatches.Count / docs.Count:P2})");
        foreach (var m in mismatches.Take(30))
        {
            output.WriteLine($"  {m.Id}: {m.Problem}");
        }
        Assert.True(mismatches.Count == 0, $"{filter}: {mismatches.Count} documents differ; first: {string.Join("; ", mismatches.Take(5).Select(m => m.Id + " " + m.Problem))}");
    }

    private static string? Compare(ExpectedDecision expected, string? reason) =>
        expected.Keep == (reason is null) && expected.Reason == reason
            ? null
            : $"expected {(expected.Keep ? "keep" : expected.Reason)}, got {reason ?? "keep"}";

    [Fact]
    public void Gopher_quality_reproduces_every_decision()
    {
        var filter = new GopherQualityFilter(new GopherQualityOptions());
        AssertAgreement("gopher_quality", d => Compare(d.GopherQuality, filter.Check(Doc(d))));
    }

    [Fact]
    public void Gopher_repetition_reproduces_every_decision()
    {
        var filter = new GopherRepetitionFilter(new GopherRepetitionOptions());
        AssertAgreement("gopher_repetition", d => Compare(d.GopherRepetition, filter.Check(Doc(d))));
    }

    [Fact]
    public void FineWeb_quality_reproduces_every_decision()
    {
        var filter = new FineWebQualityFilter(new FineWebQualityOptions());
        AssertAgreement("fineweb_quality", d => Compare(d.FineWeb, filter.Check(Doc(d))));
    }

    [Fact]
    public void C4_quality_reproduces_every_decision_and_rewritten_text()
    {
        var filter = new C4QualityFilter(new C4QualityOptions());
        AssertAgreement("c4_quality", d =>
        {
            var doc = Doc(d);
            var reason = filter.Apply(doc);
            var problem = Compare(d.C4, reason);
            if (problem is null && reason is null)
            {
                int chars = Text.PyText.Length(doc.Text);
                string sha = Sha1Hex.Of(doc.Text);
                if (sha != d.C4.TextSha1 || chars != d.C4.TextChars)
                {
                    problem = $"kept text differs: {chars} chars, expected {d.C4.TextChars}";
                }
            }
            return problem;
        });
    }
}
