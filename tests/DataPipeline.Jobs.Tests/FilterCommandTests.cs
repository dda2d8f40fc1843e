using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering;

namespace DataPipeline.Jobs.Tests;

public class FilterCommandTests
{
    private static readonly string[] AllFilters = ["gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality", "language", "pii"];

    [Fact]
    public void Filter_verb_removes_per_filter_and_reason_as_the_steps_do_in_process()
    {
        using var dir = new TempDir();
        var input = Path.Combine(Cli.RepoRoot, "samples", "corpus", "*.jsonl.zst");
        var r = Cli.Run(dir.Path, "filter", "--input", input, "--output", "out",
            "--filters", "gopher_repetition,gopher_quality,c4,fineweb,language=en,pii", "--keep-removed", "--workers", "2", "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());

        var stage = Corpus.Stats(dir.File("out")).GetProperty("stages")[0];
        Assert.Equal(AllFilters, stage.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray());
        var fromStats = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var step in stage.GetProperty("steps").EnumerateArray())
        {
            foreach (var reason in step.GetProperty("removed").EnumerateObject())
            {
                fromStats[step.GetProperty("name").GetString() + "/" + reason.Name] = reason.Value.GetInt64();
            }
        }

        // The same steps run in this process over the same documents, in order.
        var expected = InProcess(out long keptExpected);
        Assert.Equal(expected, fromStats);
        Assert.Contains(fromStats.Keys, k => k.StartsWith("language/", StringComparison.Ordinal));

        var kept = Corpus.ReadParts(dir.File("out"));
        Assert.Equal(keptExpected, kept.Count);
        Assert.Equal(2400, stage.GetProperty("documents_in").GetInt64());
        Assert.Equal(2400, kept.Count + fromStats.Values.Sum());
        Assert.All(kept, d =>
        {
            Assert.Equal("en", d.GetProperty("language").GetString());
            Assert.True(d.GetProperty("language_score").GetDouble() > 0.65);
        });

        // Removed documents, each with the filter and reason that stats.json counts.
        var removed = Corpus.ReadParts(Path.Combine(dir.File("out"), "removed", "filter"));
        var fromFiles = removed.GroupBy(d => d.GetProperty("filter").GetString() + "/" + d.GetProperty("reason").GetString())
            .ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(fromStats, new SortedDictionary<string, long>(fromFiles, StringComparer.Ordinal));
    }

    private static SortedDictionary<string, long> InProcess(out long kept)
    {
        var registry = new StepRegistry();
        FilteringSteps.Register(registry);
        var steps = new (string Type, Dictionary<object, object?>? Settings)[]
        {
            ("gopher_repetition", null), ("gopher_quality", null), ("c4_quality", null), ("fineweb_quality", null),
            ("language", new() { ["languages"] = new List<object?> { "en" } }), ("pii", null),
        };
        var docs = Corpus.SampleLines(int.MaxValue).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            return new Document(e.GetProperty("id").GetString()!, e.GetProperty("text").GetString()!, new DocumentOrigin("sample", 1, OriginKind.Line));
        });
        var stats = new List<StepStats>();
        foreach (var (type, settings) in steps)
        {
            var step = registry.Create(new Dictionary<string, object?> { [type] = settings });
            var s = new StepStats { Name = step.Name };
            stats.Add(s);
            docs = step.Run(docs, new StepContext(0, 1, s, null, CancellationToken.None));
        }
        kept = docs.LongCount();
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in stats)
        {
            foreach (var (reason, n) in s.Removed)
            {
                result[s.Name + "/" + reason] = n;
            }
        }
        return result;
    }

    [Fact]
    public void Language_lists_and_bad_filter_names()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("in.jsonl"),
        [
            """{"id":"en","text":"The quick brown fox jumps over the lazy dog. This sentence is written in plain English."}""",
            """{"id":"fr","text":"Le renard brun rapide saute par-dessus le chien paresseux. Cette phrase est écrite en français."}""",
            """{"id":"de","text":"Der schnelle braune Fuchs springt über den faulen Hund. Dieser Satz ist auf Deutsch geschrieben."}""",
        ]);
        var r = Cli.Run(dir.Path, "filter", "-i", "in.jsonl", "-o", "out", "--filters", "language=fr,de", "--format", "jsonl", "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["fr", "de"], Corpus.ReadParts(dir.File("out")).Select(d => d.GetProperty("id").GetString()!).ToArray());

        var bad = Cli.Run(dir.Path, "filter", "-i", "in.jsonl", "-o", "out2", "--filters", "gopher_quality,bogus", "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown filter 'bogus'", bad.Stderr);
    }
}
