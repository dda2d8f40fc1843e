using System.Text.Json;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DataPipeline.Jobs.Tests;

/// <summary>
/// <c>run --executor slurm</c> on a real (single-node) Slurm cluster: the same bytes as the local
/// executor, failures visible in <c>status</c> with the stages after them cancelled, resubmission
/// of only the unfinished tasks, and no partial output from a task killed mid-write.
/// </summary>
public class SlurmTests
{
    private const string Pipeline = """
        name: slurm-test
        input:
          paths: [in/*.jsonl]
        format: jsonl.zst
        keep_removed: true
        slurm:
          time: "00:10:00"
        stages:
          - name: filter
            tasks: 4
            steps:
              - length_filter: {min_chars: 200}
          - name: again
            steps:
              - length_filter: {max_chars: 50000}
        """;

    private static void Prepare(TempDir dir)
    {
        Directory.CreateDirectory(dir.File("in"));
        var lines = Corpus.SampleLines(1200);
        for (int f = 0; f < 6; f++)
        {
            File.WriteAllLines(dir.File($"in/part{f}.jsonl"), lines.Skip(f * 200).Take(200));
        }
        File.WriteAllText(dir.File("pipeline.yaml"), Pipeline);
    }

    /// <summary>Every output file but the run's bookkeeping (state, Slurm scripts and logs, timings in stats).</summary>
    private static Dictionary<string, byte[]> Outputs(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar)[0] is not (".datapipe" or "slurm" or "stats.json" or "summary.txt" or "report.html"))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    private static void AssertSameOutputs(string expectedRoot, string actualRoot)
    {
        var expected = Outputs(expectedRoot);
        var actual = Outputs(actualRoot);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), "differs from the local run: " + name);
        }
    }

    private static string StageLine(string status, string stage) =>
        Regex.Match(status, "^" + stage + ": .*$", RegexOptions.Multiline).Value;

    [SlurmFact]
    public void Demo_pipeline_under_slurm_is_byte_identical_to_local_and_a_rerun_submits_nothing()
    {
        using var dir = new TempDir();
        var demo = Path.Combine(Cli.RepoRoot, "jobs", "pipelines", "demo.yaml");
        var slurm = Cli.Run(dir.Path, "run", demo, "--executor", "slurm", "--output", "slurm-run", "--wait");
        Assert.True(slurm.ExitCode == 0, slurm.ToString());
        Assert.Contains("finished: pipeline 'demo'", slurm.Stdout);
        var local = Cli.Run(dir.Path, "run", demo, "--output", "local-run", "-q");
        Assert.True(local.ExitCode == 0, local.ToString());
        AssertSameOutputs(dir.File("local-run"), dir.File("slurm-run"));
        Assert.True(File.Exists(dir.File("slurm-run/tokenize/index.json")), "the tokenize stage's finalizer merged no index");

        var stats = Corpus.Stats(dir.File("slurm-run"));
        var localStats = Corpus.Stats(dir.File("local-run"));
        Assert.True(stats.GetProperty("complete").GetBoolean());
        static string Summary(JsonElement run, string stage) => run.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == stage).GetProperty("summary").ToString();
        Assert.Equal(Summary(localStats, "tokenize"), Summary(stats, "tokenize"));
        // The dedup passes ran as arrays of their own: the bucket pass one task per band plus the exact merge.
        Assert.True(File.Exists(dir.File("slurm-run/slurm/dedup.buckets.sbatch")), "no array job for the bucket pass");
        Assert.True(File.Exists(dir.File("slurm-run/slurm/filter.sbatch")) && File.Exists(dir.File("slurm-run/slurm/logs/filter/rank-00003.log")));

        var again = Cli.Run(dir.Path, "run", demo, "--executor", "slurm", "--output", "slurm-run");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to submit", again.Stdout);
        var status = Cli.Run(dir.Path, "status", "slurm-run");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("filter: 4 tasks: 4 done, 0 failed", status.Stdout);
    }

    [SlurmFact]
    public void Failed_task_shows_in_status_cancels_the_next_stage_and_a_rerun_completes_identically()
    {
        using var dir = new TempDir();
        Prepare(dir);
        var local = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "local", "-q");
        Assert.True(local.ExitCode == 0, local.ToString());

        var env = new Dictionary<string, string> { ["DATAPIPE_INJECT_FAIL"] = "filter:2:" + dir.File("failed-once") };
        var failed = Cli.RunWith(dir.Path, env, "run", "pipeline.yaml", "--executor", "slurm", "--output", "out", "--wait");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        var status = Cli.Run(dir.Path, "status", "out");
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Equal("filter: 4 tasks: 3 done, 1 failed, 0 running, 0 pending, 0 cancelled, 0 not submitted", StageLine(status.Stdout, "filter"));
        // The dependent stage never ran and is not left pending: kill-on-invalid-dep cancelled it.
        Assert.Equal("again: 4 tasks: 0 done, 0 failed, 0 running, 0 pending, 4 cancelled, 0 not submitted", StageLine(status.Stdout, "again"));
        Assert.Contains("failed: rank 2, log ", status.Stdout);
        Assert.Contains("injected failure", File.ReadAllText(dir.File("out/slurm/logs/filter/rank-00002.log")));
        Assert.False(File.Exists(dir.File("out/filter/part-00002.jsonl.zst")));
        Assert.False(Directory.Exists(dir.File("out/again")) && Directory.EnumerateFiles(dir.File("out/again"), "part-*").Any());

        var rerun = Cli.RunWith(dir.Path, env, "run", "pipeline.yaml", "--executor", "slurm", "--output", "out", "--wait");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("[filter] job ", rerun.Stdout);
        Assert.Contains("1 of 4 tasks (3 already complete)", rerun.Stdout);
        Assert.Equal("2", File.ReadAllText(dir.File("out/slurm/filter.ranks")).Trim()); // index 0 of the resubmitted array is rank 2
        AssertSameOutputs(dir.File("local"), dir.File("out"));
    }

    [SlurmFact]
    public void Task_cancelled_mid_write_leaves_no_visible_partial_output_and_a_resubmission_completes()
    {
        using var dir = new TempDir();
        Prepare(dir);
        var local = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "local", "-q");
        Assert.True(local.ExitCode == 0, local.ToString());
        var expected = Outputs(dir.File("local"));

        var env = new Dictionary<string, string> { ["DATAPIPE_INJECT_DELAY_MS"] = "40" };
        var submit = Cli.RunWith(dir.Path, env, "run", "pipeline.yaml", "--executor", "slurm", "--output", "out");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        var clock = Stopwatch.StartNew();
        while (!(Directory.Exists(dir.File("out/filter")) && Directory.GetFiles(dir.File("out/filter"), ".*.tmp").Length > 0) && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(50);
        }
        Assert.True(Directory.GetFiles(dir.File("out/filter"), ".*.tmp").Length > 0, "no task started writing");
        var cancel = Cli.Run(dir.Path, "cancel", "out");
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Contains("cancelled jobs", cancel.Stdout);
        Cli.Result status;
        clock.Restart();
        while ((status = Cli.Run(dir.Path, "status", "out")).ExitCode == 3 && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            Thread.Sleep(200);
        }
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Contains("cancelled", StageLine(status.Stdout, "filter"));
        foreach (var (name, bytes) in Outputs(dir.File("out")).Where(kv => !Path.GetFileName(kv.Key).StartsWith('.')))
        {
            Assert.True(expected.TryGetValue(name, out var want) && want.AsSpan().SequenceEqual(bytes), "partial or unexpected visible file " + name);
        }

        var rerun = Cli.Run(dir.Path, "run", "pipeline.yaml", "--executor", "slurm", "--output", "out", "--wait");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        AssertSameOutputs(dir.File("local"), dir.File("out"));
    }

    [Fact]
    public void Executor_slurm_without_sbatch_on_path_says_so()
    {
        using var dir = new TempDir();
        Prepare(dir);
        var r = Cli.RunWith(dir.Path, new Dictionary<string, string> { ["PATH"] = dir.Path }, "run", "pipeline.yaml", "--executor", "slurm", "--output", "out");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("'sbatch'", r.Stderr);
        Assert.Contains("not on PATH", r.Stderr);
    }
}
