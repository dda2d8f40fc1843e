using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Steps;

namespace DataPipeline.Filtering.Tests;

public sealed class LanguageFilterTests
{
    private const string English = "The quick brown fox jumps over the lazy dog. This sentence is written in plain English for the test.";
    private const string French = "Le renard brun rapide saute par-dessus le chien paresseux. Cette phrase est écrite en français.";

    private static Document Doc(string text) => new("d", text, new DocumentOrigin("x", 1, OriginKind.Line));

    private static Document Utf8Doc(string text) => new("d", Encoding.UTF8.GetBytes(text), new DocumentOrigin("x", 1, OriginKind.Line));

    private static LanguageFilter Filter(LanguageFilterOptions? options = null) =>
        new(FastTextLidGoldenTests.LidModel(), options ?? new LanguageFilterOptions { Languages = ["en"] });

    [Fact]
    public void Keeps_English_and_records_language_and_score()
    {
        var doc = Utf8Doc(English);
        Assert.Null(Filter().Check(doc));
        Assert.Equal("en", doc.Metadata.GetString("language"));
        Assert.True(doc.Metadata.TryGetRaw("language_score", out var raw));
        double score = double.Parse(Encoding.UTF8.GetString(raw.Span), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(score, 0.65, 1.0);
    }

    [Fact]
    public void Drops_other_languages_with_a_reason()
    {
        var doc = Doc(French);
        Assert.Equal(LanguageFilter.WrongLanguage, Filter().Check(doc));
        Assert.Equal("fr", doc.Metadata.GetString("language"));
        Assert.Null(Filter(new LanguageFilterOptions { Languages = ["en", "fr"] }).Check(Doc(French)));
        Assert.Null(Filter(new LanguageFilterOptions()).Check(Doc(French)));
        Assert.Null(Filter(new LanguageFilterOptions { Languages = ["de"], LabelOnly = true }).Check(Doc(French)));
    }

    [Fact]
    public void Threshold_applies_to_the_requested_language()
    {
        // "Hello world" is English at about 0.17 (shared/golden/lid): kept at 0.1, dropped at 0.65.
        Assert.Equal(LanguageFilter.LowScore, Filter().Check(Doc("Hello world")));
        Assert.Null(Filter(new LanguageFilterOptions { Languages = ["en"], LanguageThreshold = 0.1 }).Check(Doc("Hello world")));
        Assert.Equal(LanguageFilter.LowScore, Filter(new LanguageFilterOptions()).Check(Doc("Hello world")));
    }

    [Fact]
    public void Top_pairs_are_written_above_their_threshold()
    {
        var doc = Doc("mixed English et français und Deutsch");
        Filter(new LanguageFilterOptions { KeepTopPairsThreshold = 0.01, LabelOnly = true }).Check(doc);
        Assert.Contains(doc.Metadata.Fields, f => f.Name.StartsWith("top_language_", StringComparison.Ordinal));
        var restricted = Doc(French);
        Filter(new LanguageFilterOptions { Languages = ["en", "fr"], KeepTopPairsThreshold = 0.5 }).Check(restricted);
        Assert.True(restricted.Metadata.TryGetRaw("top_language_fr_score", out _));
        Assert.False(restricted.Metadata.TryGetRaw("top_language_en_score", out _));
    }

    [Fact]
    public void Newlines_read_as_spaces_as_datatrove_replaces_them()
    {
        var a = Doc("The quick brown fox\njumps over the lazy dog");
        var b = Doc("The quick brown fox jumps over the lazy dog");
        var filter = Filter();
        filter.Check(a);
        filter.Check(b);
        Assert.Equal(b.Metadata.GetString("language"), a.Metadata.GetString("language"));
        a.Metadata.TryGetRaw("language_score", out var sa);
        b.Metadata.TryGetRaw("language_score", out var sb);
        Assert.Equal(Encoding.UTF8.GetString(sb.Span), Encoding.UTF8.GetString(sa.Span));
    }

    public static TheoryData<string> BadTexts() => new()
    {
        "",
        " ",
        " \t\n\r\v\f ",
        "!!! ??? ... ### $$$ %%% ^^^ &&& *** ((( )))",
        "\0\0\0",
        "text\0with\0nul",
        "lone \uD800 high and \uDC00 low surrogates",
        "\uDFFF",
        "__label__en __label__fr",
        "</s>",
        "</s> everything after the end marker is ignored",
        new string('x', 100_000),
        string.Concat(Enumerable.Repeat("😀", 10_000)),
    };

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void Bad_input_gets_a_decision(string text)
    {
        var filter = Filter();
        foreach (var doc in new[] { Doc(text), Utf8Doc(text) })
        {
            string? reason = filter.Check(doc);
            Assert.True(reason is null or LanguageFilter.WrongLanguage or LanguageFilter.LowScore, reason);
            Assert.NotNull(doc.Metadata.GetString("language"));
        }
    }

    [Fact]
    public void A_100_MB_document_gets_a_decision()
    {
        // 50 MB of English sentences, then 50 MB with no separator at all (one enormous word).
        var sentence = Encoding.UTF8.GetBytes("The committee reviewed the annual report and approved the budget. ");
        var text = new byte[100 << 20];
        int half = text.Length / 2;
        for (int i = 0; i < half; i += sentence.Length)
        {
            sentence.AsSpan(0, Math.Min(sentence.Length, half - i)).CopyTo(text.AsSpan(i));
        }
        text.AsSpan(half).Fill((byte)'a');
        var doc = new Document("big", text, new DocumentOrigin("x", 1, OriginKind.Line));
        string? reason = Filter().Check(doc);
        Assert.True(reason is null or LanguageFilter.WrongLanguage or LanguageFilter.LowScore, reason);
        Assert.NotNull(doc.Metadata.GetString("language"));
    }

    [Fact]
    public void Step_runs_in_a_pipeline_and_counts_removals()
    {
        var registry = new StepRegistry();
        FilteringSteps.Register(registry);
        var step = registry.Create(new Dictionary<string, object?> { ["language"] = new Dictionary<object, object?> { ["languages"] = new List<object?> { "en" } } });
        var stats = new StepStats();
        var kept = step.Run([Doc(English), Doc(French), Doc("")], new StepContext(0, 1, stats, null, CancellationToken.None)).ToList();
        Assert.Single(kept);
        Assert.Equal(1, stats.Removed[LanguageFilter.WrongLanguage]);
        Assert.Equal(1, stats.Removed[LanguageFilter.LowScore]);
    }

    [Fact]
    public void Model_path_is_configurable_and_a_missing_one_is_a_clear_error()
    {
        var registry = new StepRegistry();
        FilteringSteps.Register(registry);
        var e = Assert.Throws<Core.Errors.DataPipelineException>(() => registry.Create(
            new Dictionary<string, object?> { ["language"] = new Dictionary<object, object?> { ["model"] = "no/such/lid.176.ftz" } }));
        Assert.Contains("scripts/setup.sh", e.Message);
        Assert.Throws<Core.Errors.DataPipelineException>(() => registry.Create(
            new Dictionary<string, object?> { ["language"] = new Dictionary<object, object?> { ["languages"] = new List<object?>() } }));
    }
}
