using System.Diagnostics;

namespace DataPipeline.Jobs.Tests;

/// <summary>A run killed with SIGKILL mid-write, then resumed, gives the same bytes as a run never interrupted.</summary>
public class ResumeTests
{
    private const string Pipeline = """
        name: resume-test
        input:
          paths: [in/*.jsonl]
        format: jsonl.zst
        keep_removed: true
        stages:
          - name: filter
            tasks: 8
            steps:
              - length_filter: {min_chars: 200}
          - name: again
            tasks: 3
            steps:
              - length_filter: {max_chars: 50000}
        """;

    private static void Prepare(TempDir dir)
    {
        Directory.CreateDirectory(dir.File("in"));
        var lines = Corpus.SampleLines(1600);
        for (int f = 0; f < 8; f++)
        {
            File.WriteAllLines(dir.File($"in/part{f}.jsonl"), lines.Skip(f * 200).Take(200));
        }
        File.WriteAllText(dir.File("pipeline.yaml"), Pipeline);
    }

    // stats.json, summary.txt and report.html carry timings and times of day: the data files are what must match.
    private static Dictionary<string, byte[]> Outputs(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith(".datapipe", StringComparison.Ordinal) && Path.GetFileName(f) is not ("stats.json" or "summary.txt" or "report.html"))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    [Fact]
    public void Killed_run_resumed_is_byte_identical_and_shows_no_partial_file()
    {
        using var dir = new TempDir();
        Prepare(dir);
        var reference = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "reference", "--workers", "2", "-q");
        Assert.True(reference.ExitCode == 0, reference.ToString());
        var expected = Outputs(dir.File("reference"));
        Assert.Contains(Path.Combine("filter", "part-00007.jsonl.zst"), expected.Keys);
        Assert.Contains(Path.Combine("again", "part-00002.jsonl.zst"), expected.Keys);

        // Slow the writes down so the kill lands while tasks are writing.
        var env = new Dictionary<string, string> { ["DATAPIPE_INJECT_DELAY_MS"] = "4" };
        using (var p = Cli.Start(dir.Path, env, "run", "pipeline.yaml", "--output", "killed", "--workers", "2", "-q"))
        {
            var markers = dir.File("killed/.datapipe/done/filter");
            var clock = Stopwatch.StartNew();
            while (!(Directory.Exists(markers) && Directory.GetFiles(markers).Length >= 2) && clock.Elapsed < TimeSpan.FromMinutes(2) && !p.HasExited)
            {
                Thread.Sleep(20);
            }
            Assert.False(p.HasExited, "the run finished before it could be killed");
            p.Kill(entireProcessTree: true); // SIGKILL
            p.WaitForExit();
        }
        var afterKill = Outputs(dir.File("killed"));
        Assert.True(Directory.GetFiles(dir.File("killed/filter"), ".*.tmp").Length > 0, "expected a task to have been killed mid-write");
        // Every visible file is complete: identical to the reference run's file of the same name.
        foreach (var (name, bytes) in afterKill.Where(kv => !Path.GetFileName(kv.Key).StartsWith('.')))
        {
            Assert.True(expected.TryGetValue(name, out var want), "unexpected visible file " + name);
            Assert.True(want.AsSpan().SequenceEqual(bytes), "partial visible file " + name);
        }

        var resumed = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "killed", "--workers", "2", "--resume", "-q");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("already complete", resumed.Stdout);
        var actual = Outputs(dir.File("killed"));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), "differs after resume: " + name);
        }
        var stats = Corpus.Stats(dir.File("killed"));
        var refStats = Corpus.Stats(dir.File("reference"));
        Assert.True(stats.GetProperty("complete").GetBoolean());
        Assert.Equal(refStats.GetProperty("stages")[1].GetProperty("documents_out").GetInt64(), stats.GetProperty("stages")[1].GetProperty("documents_out").GetInt64());
    }

    [Fact]
    public void Resume_refuses_a_changed_pipeline()
    {
        using var dir = new TempDir();
        Prepare(dir);
        Assert.Equal(0, Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "out", "-q").ExitCode);
        File.WriteAllText(dir.File("pipeline.yaml"), Pipeline.Replace("tasks: 8", "tasks: 5", StringComparison.Ordinal));
        var r = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "out", "--resume", "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no longer matches", r.Stderr);
    }

    [Fact]
    public void Task_verb_runs_one_rank_and_a_run_then_completes_the_rest()
    {
        using var dir = new TempDir();
        Prepare(dir);
        var t = Cli.Run(dir.Path, "task", "pipeline.yaml", "--stage", "filter", "--rank", "3", "--world-size", "8", "--output", "out");
        Assert.True(t.ExitCode == 0, t.ToString());
        Assert.True(File.Exists(dir.File("out/filter/part-00003.jsonl.zst")));
        Assert.True(File.Exists(dir.File("out/.datapipe/done/filter/00003.json")));
        var again = Cli.Run(dir.Path, "task", "pipeline.yaml", "--stage", "filter", "--rank", "3", "--world-size", "8", "--output", "out");
        Assert.Contains("already complete", again.Stderr);
        var run = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "out", "--resume", "-q");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("1 of 8 tasks already complete", run.Stdout);
        var reference = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "ref", "-q");
        Assert.Equal(0, reference.ExitCode);
        var a = Outputs(dir.File("out"));
        var b = Outputs(dir.File("ref"));
        Assert.Equal(b.Keys.Order(StringComparer.Ordinal), a.Keys.Order(StringComparer.Ordinal));
        Assert.All(b, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(a[kv.Key]), kv.Key));
    }
}
