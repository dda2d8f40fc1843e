namespace DataPipeline.Jobs.Tests;

public class DemoTests
{
    [Fact]
    public void Demo_pipeline_runs_end_to_end_on_the_sample_corpus()
    {
        using var dir = new TempDir();
        var demo = Path.Combine(Cli.RepoRoot, "jobs", "pipelines", "demo.yaml");
        var r = Cli.Run(dir.Path, "run", demo, "--output", "demo");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("finished: pipeline 'demo'", r.Stdout);
        Assert.Contains("[filter] tasks 4/4", r.Stderr);
        var stats = Corpus.Stats(dir.File("demo"));
        Assert.True(stats.GetProperty("complete").GetBoolean());
        var stages = stats.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["dedup.signatures", "dedup.buckets", "dedup.clusters", "dedup", "filter",
            "select.counts", "select.fit", "select.weights", "select.select", "select", "tokenize"], stages.Keys);

        // Dedup first: every removal is listed in removed.jsonl and the documents themselves kept for audit.
        var dedup = stages["dedup"];
        Assert.Equal(2400, dedup.GetProperty("documents_in").GetInt64());
        long duplicates = dedup.GetProperty("removed").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.True(duplicates > 0, "the sample corpus has near-duplicate licence and manual pages");
        Assert.Equal(duplicates, File.ReadAllLines(dir.File("demo/dedup.clusters/removed.jsonl")).Length);
        Assert.Equal(duplicates, Corpus.ReadParts(dir.File("demo/removed/dedup")).Count);
        Assert.Equal(2400, dedup.GetProperty("documents_out").GetInt64() + duplicates);

        var filter = stages["filter"];
        foreach (var key in new[] { "name", "documents_in", "documents_out", "bytes_in", "bytes_out", "seconds", "errors", "removed" })
        {
            Assert.True(filter.TryGetProperty(key, out _), "stats.json lacks " + key);
        }
        Assert.Equal(dedup.GetProperty("documents_out").GetInt64(), filter.GetProperty("documents_in").GetInt64());
        long removed = filter.GetProperty("removed").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.True(removed > 0);
        Assert.Equal(filter.GetProperty("documents_in").GetInt64(), filter.GetProperty("documents_out").GetInt64() + removed);
        Assert.Equal(filter.GetProperty("documents_out").GetInt64(), Corpus.ReadParts(dir.File("demo/filter")).Count);
        Assert.Equal(removed, Corpus.ReadParts(dir.File("demo/removed/filter")).Count);
        Assert.True(File.Exists(dir.File("demo/summary.txt")));

        // The DSIR stage runs as its five passes and keeps half of what the filters kept.
        long filtered = filter.GetProperty("documents_out").GetInt64();
        Assert.Equal(filtered, stages["select"].GetProperty("documents_in").GetInt64());
        Assert.Equal(filtered / 2, stages["select"].GetProperty("documents_out").GetInt64());
        Assert.Equal(filtered / 2, Corpus.ReadParts(dir.File("demo/select")).Count);
        Assert.All(Corpus.ReadParts(dir.File("demo/select")), d => Assert.True(d.TryGetProperty("log_importance_weight", out _)));
        Assert.True(stages["select"].GetProperty("summary").TryGetProperty("dsir_kl_target_selected", out _));
        Assert.Equal(filtered / 2, stages["tokenize"].GetProperty("documents_in").GetInt64());
    }
}
