using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;

namespace DataPipeline.Filtering.Tests;

/// <summary>Texts no filter expects: each of the four heuristic filters gives every one a decision, and no exception escapes.</summary>
public class HeuristicFilterBadInputTests
{
    private static IPipelineStep Create(string type)
    {
        var registry = new StepRegistry();
        FilteringSteps.Register(registry);
        return registry.Create(new Dictionary<string, object?> { [type] = null });
    }

    public static TheoryData<string> Filters => new() { "gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality" };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Empty_whitespace_symbols_nul_and_lone_surrogates_each_get_a_decision(string type)
    {
        string[] texts =
        [
            "", " ", "\n\n\t  \r\n", "!!! ??? ... --- *** ### @@@", "€€€ ™™ ©©© ∑∑∑",
            "text with a NUL \0 in the middle.\nAnd a second line \0\0.",
            "lone high \uD800 surrogate and lone low \uDC00 one.\nMore text here.",
            "\uDFFF\uD800", string.Concat(Enumerable.Repeat("word ", 200)) + "\uD83D",
        ];
        var step = Create(type);
        foreach (var text in texts)
        {
            var stats = new StepStats();
            var context = new StepContext(0, 1, stats, null, CancellationToken.None);
            var kept = step.Run([new Document("d", text, new DocumentOrigin("x", 0, OriginKind.Line))], context).Count();
            Assert.Equal(1, kept + stats.Removed.Values.Sum());
        }
    }

    [Fact]
    public void A_100_MB_document_gets_a_decision_from_every_filter()
    {
        var rng = new Random(2);
        string[] words = ["the", "data", "pipeline", "reads", "text", "and", "writes", "shards", "quickly", "today"];
        var sb = new StringBuilder(100_000_100);
        while (sb.Length < 100_000_000)
        {
            sb.Append(words[rng.Next(words.Length)]).Append(rng.Next(12) == 0 ? ".\n" : " ");
        }
        var document = new Document("big", sb.ToString(), new DocumentOrigin("x", 0, OriginKind.Line));
        foreach (var type in Filters)
        {
            var stats = new StepStats();
            var context = new StepContext(0, 1, stats, null, CancellationToken.None);
            var kept = Create(type).Run([document], context).Count();
            Assert.Equal(1, kept + stats.Removed.Values.Sum());
        }
    }
}
