using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Steps;

namespace DataPipeline.Filtering.Tests;

public sealed class StepRegistrationTests
{
    private static StepRegistry Registry()
    {
        var r = new StepRegistry();
        FilteringSteps.Register(r);
        return r;
    }

    private static IPipelineStep Create(string type, Dictionary<object, object?>? settings) =>
        Registry().Create(new Dictionary<string, object?> { [type] = settings });

    [Theory]
    [InlineData("gopher_quality")]
    [InlineData("gopher_repetition")]
    [InlineData("c4_quality")]
    [InlineData("fineweb_quality")]
    [InlineData("length_filter")]
    [InlineData("language")]
    [InlineData("pii")]
    public void Each_step_builds_with_upstream_defaults(string type) => Assert.NotNull(Create(type, null));

    [Fact]
    public void Unknown_settings_are_refused() =>
        Assert.Throws<DataPipelineException>(() => Create("gopher_quality", new() { ["min_doc_word"] = 5 }));

    [Fact]
    public void Ngram_lists_parse_and_reject_bad_items()
    {
        Assert.NotNull(Create("gopher_repetition", new() { ["top_n_grams"] = new List<object?> { "2:0.5" } }));
        Assert.Throws<DataPipelineException>(() => Create("gopher_repetition", new() { ["dup_n_grams"] = new List<object?> { "five" } }));
    }

    [Fact]
    public void C4_step_rewrites_text_and_records_reasons()
    {
        var step = Create("c4_quality", new() { ["min_num_sentences"] = 1 });
        var kept = new Document("a", "menu\nThis line is kept. It has two sentences.\nshort.\n", new DocumentOrigin("x", 1, OriginKind.Line));
        var dropped = new Document("b", "Some text here { with a bracket.", new DocumentOrigin("x", 2, OriginKind.Line));
        var stats = new StepStats();
        var output = step.Run([kept, dropped], new StepContext(0, 1, stats, null, CancellationToken.None)).ToList();
        Assert.Single(output);
        Assert.Equal("This line is kept. It has two sentences.", output[0].Text);
    }

    [Fact]
    public void C4_bad_words_file_removes_documents()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["badword"]);
            var filter = new C4QualityFilter(new C4QualityOptions { MinNumSentences = -1, BadWords = C4BadWords.FromFile(path, 0, null) });
            var doc = new Document("a", "A BadWord appears here.", new DocumentOrigin("x", 1, OriginKind.Line));
            Assert.Equal(C4BadWords.Reason, filter.Apply(doc));
            Assert.Null(filter.Apply(new Document("b", "badwords is not a listed word.", new DocumentOrigin("x", 1, OriginKind.Line))));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Gopher_quality_thresholds_are_configurable()
    {
        var filter = new GopherQualityFilter(new GopherQualityOptions { MinDocWords = 3, MinStopWords = 0 });
        Assert.Null(filter.Check(new Document("a", "alpha beta gamma delta", new DocumentOrigin("x", 1, OriginKind.Line))));
        Assert.Equal("gopher_short_doc", filter.Check(new Document("a", "alpha beta", new DocumentOrigin("x", 1, OriginKind.Line))));
    }
}
