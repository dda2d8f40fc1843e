using DataPipeline.Core.Documents;
using DataPipeline.Filtering.Steps;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Tests;

/// <summary>
/// The per-thread analysis the word-level filters share (<see cref="TextAnalysis"/>): filters run
/// in a row on one document decide exactly as each does alone, also after C4 rewrites the text.
/// </summary>
public sealed class FilterChainTests
{
    private static Document Doc(string id, string text) => new(id, text, new DocumentOrigin("dev_input.jsonl", 0, OriginKind.Line));

    [Fact]
    public void Filters_in_a_row_decide_as_each_alone_on_the_golden_documents()
    {
        var gq = new GopherQualityFilter(new GopherQualityOptions());
        var gr = new GopherRepetitionFilter(new GopherRepetitionOptions());
        var c4 = new C4QualityFilter(new C4QualityOptions());
        var fw = new FineWebQualityFilter(new FineWebQualityOptions());
        int rewritten = 0;
        foreach (var g in FilterGoldenSet.All)
        {
            // In a row, every filter on every document; FineWeb after C4 sees C4's text.
            var doc = Doc(g.Id, g.Text);
            var row = (gq.Check(doc), gr.Check(doc), c4.Apply(doc), fw.Check(doc));
            string afterC4 = doc.Text;
            rewritten += afterC4 == g.Text ? 0 : 1;

            // Each alone, on a fresh copy of its input string (no analysis to reuse).
            var alone = (
                gq.Check(Doc(g.Id, new string(g.Text))),
                gr.Check(Doc(g.Id, new string(g.Text))),
                c4.Apply(Doc(g.Id, new string(g.Text))),
                fw.Check(Doc(g.Id, new string(afterC4))));
            Assert.True(alone == row, $"{g.Id}: in a row {row}, alone {alone}");
        }
        // The check only means something if C4 did rewrite texts that FineWeb then saw.
        Assert.True(rewritten > 100, $"only {rewritten} texts rewritten by C4");
    }

    [Fact]
    public void Analysis_follows_the_text_string_and_is_rebuilt_for_another()
    {
        var a = TextAnalysis.Of("one two three");
        Assert.Equal(3, a.Words.Count);
        Assert.Equal(13, a.CodePoints);
        // Same content, another string: analysed again, same answer.
        var b = TextAnalysis.Of(new string("one two three"));
        Assert.Equal(3, b.Words.Count);
        // Another text: nothing stale from the previous one.
        var c = TextAnalysis.Of("x 😀");
        Assert.Equal(2, c.Words.Count);
        Assert.Equal(3, c.CodePoints);
        Assert.Equal("😀", c.Words[1].ToString());
        Assert.Equal(1, c.Words.LengthOf(1));
    }

    [Fact]
    public void Word_lists_from_split_are_independent_of_the_shared_analysis()
    {
        var first = WordList.Split("alpha beta");
        _ = TextAnalysis.Of("gamma delta epsilon").Words;
        var second = WordList.Split("zeta");
        Assert.Equal(["alpha", "beta"], first.ToStrings());
        Assert.Equal(["zeta"], second.ToStrings());
    }
}
