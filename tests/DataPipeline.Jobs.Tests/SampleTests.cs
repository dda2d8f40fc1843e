using System.Globalization;
using System.Text.Json;

namespace DataPipeline.Jobs.Tests;

/// <summary>The sample verb and the dsir step in pipelines, end to end through the five passes.</summary>
public class SampleTests
{
    private static string Golden(string file) => SharedFolder.Golden("dsir", file);

    private static List<string> Ids(string dir) => Corpus.ReadParts(dir).Select(e => e.GetProperty("id").GetString()!).ToList();

    private static Dictionary<string, JsonElement> Stages(string outDir) =>
        Corpus.Stats(outDir).GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);

    [Fact]
    public void Sample_verb_selects_exactly_dsirs_golden_set_with_1_2_and_7_tasks()
    {
        using var dir = new TempDir();
        var expected = File.ReadAllLines(Golden("selected.txt"));
        foreach (var tasks in new[] { 1, 2, 7 })
        {
            var extra = tasks == 2 ? new[] { "--write-weights" } : [];
            var r = Cli.Run(dir.Path, ["sample", "--input", Golden("dev_raw.jsonl"), "--target", Golden("dev_target.jsonl"), "--k", "1000", "--seed", "42",
                "--output", "t" + tasks, "--tasks", tasks.ToString(CultureInfo.InvariantCulture), "--workers", "2", "--format", "jsonl", "-q", .. extra]);
            Assert.True(r.ExitCode == 0, r.ToString());
            // DSIR writes the chosen documents in input order, as the parts (read in rank order) hold them.
            Assert.Equal(expected, Ids(dir.File("t" + tasks)));
            var stages = Stages(dir.File("t" + tasks));
            Assert.Equal(["sample.counts", "sample.fit", "sample.weights", "sample.select", "sample"], stages.Keys);
            Assert.Equal(tasks, stages["sample.weights"].GetProperty("tasks").GetInt32());
            Assert.Equal(4000, stages["sample"].GetProperty("removed").EnumerateObject().Sum(p => p.Value.GetInt64()));
        }

        // The fitted distributions are DSIR's bit for bit; log_diff is glibc log's (numpy without AVX-512).
        foreach (var (ours, reference) in new[] { ("raw_probs.bin", "raw_probs.bin"), ("target_probs.bin", "target_probs.bin"), ("log_diff.bin", "no_avx512/log_diff.bin") })
        {
            Assert.Equal(File.ReadAllBytes(Golden(reference)), File.ReadAllBytes(dir.File("t7/sample.fit/" + ours)));
        }

        // weights.jsonl: every input document, in input order, within 1e-9 of DSIR's weight (equal, in fact, to the no-AVX-512 run's).
        var weights = File.ReadAllLines(dir.File("t2/weights.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var golden = File.ReadAllLines(Golden("weights.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(golden.Count, weights.Count);
        for (int i = 0; i < golden.Count; i++)
        {
            Assert.Equal(golden[i].GetProperty("id").GetString(), weights[i].GetProperty("id").GetString());
            double ours = weights[i].GetProperty("log_importance_weight").GetDouble(), theirs = golden[i].GetProperty("log_importance_weight").GetDouble();
            Assert.True(Math.Abs(ours - theirs) <= 1e-9, $"document {i}: {ours} vs {theirs}");
        }
        // The selected documents carry their weight in the metadata.
        var first = Corpus.ReadParts(dir.File("t2"))[0];
        Assert.Equal(weights.First(w => w.GetProperty("id").GetString() == first.GetProperty("id").GetString()).GetProperty("log_importance_weight").GetDouble(),
            first.GetProperty("log_importance_weight").GetDouble());

        // KL(target||raw) from the fit, KL(target||selected) from the kept documents: the selection is closer to the target.
        var summary = Stages(dir.File("t1"))["sample"].GetProperty("summary");
        double raw = summary.GetProperty("dsir_kl_target_raw").GetDouble(), selected = summary.GetProperty("dsir_kl_target_selected").GetDouble();
        Assert.True(raw > 0 && selected > 0 && selected < raw, $"KL raw {raw}, selected {selected}");
        Assert.Equal(raw - selected, summary.GetProperty("dsir_kl_reduction").GetDouble(), 12);
        Assert.Equal(raw, Stages(dir.File("t1"))["sample.fit"].GetProperty("steps")[0].GetProperty("counters").GetProperty("kl_target_raw").GetDouble());
    }

    /// <summary>300 sample documents in 3 files; the target is 40 of them of one kind (the sword/ Bible texts), which DSIR should favour.</summary>
    private static TempDir Prepare()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        Directory.CreateDirectory(dir.File("target"));
        var lines = Corpus.SampleLines(300);
        for (int f = 0; f < 3; f++)
        {
            File.WriteAllLines(dir.File($"in/f{f}.jsonl"), lines.Skip(100 * f).Take(100));
        }
        var target = Corpus.SampleLines(2400).Skip(300).Where(l => JsonDocument.Parse(l).RootElement.GetProperty("source").GetString()!.StartsWith("sword", StringComparison.Ordinal)).Take(40).ToList();
        Assert.Equal(40, target.Count);
        File.WriteAllLines(dir.File("target/t.jsonl"), target);
        return dir;
    }

    [Fact]
    public void Token_budget_and_with_replacement_do_not_depend_on_the_number_of_tasks()
    {
        using var dir = Prepare();
        string[] Run(string output, int tasks, params string[] size)
        {
            var r = Cli.Run(dir.Path, ["sample", "--input", "in", "--target", "target/*.jsonl", "--output", output, "--tasks", tasks.ToString(CultureInfo.InvariantCulture),
                "--workers", "2", "--format", "jsonl", "--seed", "7", "-q", .. size]);
            Assert.True(r.ExitCode == 0, r.ToString());
            return [.. Ids(dir.File(output))];
        }

        var budget1 = Run("b1", 1, "--tokens", "20000");
        var budget3 = Run("b3", 3, "--tokens", "20000");
        Assert.Equal(budget1, budget3);
        Assert.NotEmpty(budget1);
        double tokens = Stages(dir.File("b3"))["sample"].GetProperty("steps")[0].GetProperty("counters").GetProperty("selected_tokens").GetDouble();
        Assert.InRange(tokens, 1, 20000);

        var draws1 = Run("r1", 1, "--k", "150", "--with-replacement");
        var draws3 = Run("r3", 3, "--k", "150", "--with-replacement");
        Assert.Equal(draws1, draws3);
        Assert.Equal(150, draws1.Length);
        Assert.True(draws1.Distinct().Count() < 150, "150 draws with replacement from ~200 eligible documents repeat some");

        var fraction = Run("f", 2, "--fraction", "0.1");
        Assert.Equal(30, fraction.Length);
        // The target is Bible text: the selection favours it well above its share of the input.
        var sources = Corpus.ReadParts(dir.File("f")).Select(e => e.GetProperty("source").GetString()!).ToList();
        int inputSword = Corpus.SampleLines(300).Count(l => JsonDocument.Parse(l).RootElement.GetProperty("source").GetString()!.StartsWith("sword", StringComparison.Ordinal));
        Assert.True(sources.Count(s => s.StartsWith("sword", StringComparison.Ordinal)) / 30.0 > 2.0 * inputSword / 300.0,
            $"{sources.Count(s => s.StartsWith("sword", StringComparison.Ordinal))} of 30 selected are sword/, {inputSword} of 300 in the input");
    }

    private const string Pipeline = """
        name: dsir-pipeline
        input:
          paths: [in/*.jsonl]
        format: jsonl
        keep_removed: true
        stages:
          - name: filter
            tasks: 3
            steps:
              - length_filter: {min_chars: 10}
          - name: pick
            steps:
              - dsir: {target: [target/t.jsonl], k: 40, write_weights: true}
              - length_filter: {max_chars: 1000000}
          - name: after
            tasks: 2
            steps:
              - length_filter: {min_chars: 1}
        """;

    private static Dictionary<string, string> DataFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith(".datapipe", StringComparison.Ordinal) && Path.GetFileName(f) is not ("stats.json" or "summary.txt" or "report.html"))
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Dsir_stage_in_a_pipeline_resumes_after_a_failed_pass_with_identical_output()
    {
        using var dir = Prepare();
        File.WriteAllText(dir.File("pipeline.yaml"), Pipeline);
        var reference = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "reference", "--workers", "2", "-q", "--no-report");
        Assert.True(reference.ExitCode == 0, reference.ToString());
        Assert.Equal(40, Corpus.ReadParts(dir.File("reference/pick")).Count);
        Assert.Equal(40, Corpus.ReadParts(dir.File("reference/after")).Count);
        var removed = Corpus.ReadParts(dir.File("reference/removed/pick"));
        Assert.NotEmpty(removed);
        Assert.All(removed, e => Assert.True(e.TryGetProperty("log_importance_weight", out _)));
        Assert.True(File.Exists(dir.File("reference/pick.select/weights.jsonl")));

        foreach (var (stage, rank) in new[] { ("pick.counts", 1), ("pick.fit", 0), ("pick.weights", 2), ("pick.select", 0), ("pick", 1) })
        {
            var output = "run-" + stage;
            var env = new Dictionary<string, string> { ["DATAPIPE_INJECT_FAIL"] = $"{stage}:{rank}" };
            var failed = Cli.RunWith(dir.Path, env, "run", "pipeline.yaml", "--output", output, "--workers", "2", "-q", "--no-report");
            Assert.True(failed.ExitCode == 1, failed.ToString());
            Assert.Contains("injected failure", failed.Stderr);
            var resumed = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", output, "--workers", "2", "--resume", "-q", "--no-report");
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.Equal(DataFiles(dir.File("reference")), DataFiles(dir.File(output)));
        }
    }

    [Theory]
    [InlineData("      - length_filter: {max_chars: 1000000}\n      - dsir: {target: [target/t.jsonl], k: 40}\n", "'dsir' must be the first step of its stage")]
    [InlineData("      - dsir: {k: 40}\n", "target is required")]
    [InlineData("      - dsir: {target: [target/t.jsonl], k: 40, fraction: 0.5}\n", "exactly one of k")]
    [InlineData("      - dsir: {target: [nothing/*.jsonl], k: 40}\n", "no input file matches")]
    [InlineData("      - dsir: {target: [target/t.jsonl], k: 40, bucket: 5}\n", "unknown setting 'bucket'")]
    public void Bad_dsir_settings_are_clear_configuration_errors(string steps, string message)
    {
        using var dir = Prepare();
        var pipeline = Pipeline.Replace("      - dsir: {target: [target/t.jsonl], k: 40, write_weights: true}\n      - length_filter: {max_chars: 1000000}\n", steps, StringComparison.Ordinal);
        Assert.NotEqual(Pipeline, pipeline);
        File.WriteAllText(dir.File("bad.yaml"), pipeline);
        var r = Cli.Run(dir.Path, "run", "bad.yaml", "--output", "out", "-q");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Sample_verb_needs_exactly_one_size()
    {
        using var dir = Prepare();
        var none = Cli.Run(dir.Path, "sample", "--input", "in", "--target", "target/t.jsonl", "--output", "out", "-q");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("exactly one of --k, --fraction or --tokens", none.Stderr);
        var help = Cli.Run(dir.Path, "sample", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var option in new[] { "--input", "--output", "--target", "--k", "--fraction", "--tokens", "--buckets", "--seed", "--with-replacement", "--write-weights" })
        {
            Assert.Contains(option, help.Stdout);
        }
    }
}

/// <summary>The mix verb end to end.</summary>
public class MixTests
{
    [Fact]
    public void Mix_verb_upsamples_and_downsamples_reproducibly()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a"));
        Directory.CreateDirectory(dir.File("b"));
        var lines = Corpus.SampleLines(120);
        File.WriteAllLines(dir.File("a/a.jsonl"), lines.Take(100));
        File.WriteAllLines(dir.File("b/b.jsonl"), lines.Skip(100));
        File.WriteAllText(dir.File("mix.yaml"), """
            seed: 5
            unit: documents
            size: 100
            temperature: 1.0
            output: mixed
            format: jsonl
            sources:
              - name: a
                paths: [a/*.jsonl]
                weight: 0.5
              - name: b
                paths: [b/*.jsonl]
                weight: 0.5
            """);
        var r = Cli.Run(dir.Path, "mix", "--config", "mix.yaml");
        Assert.True(r.ExitCode == 0, r.ToString());
        var docs = Corpus.ReadParts(dir.File("mixed"));
        Assert.Equal(100, docs.Count);
        var bySource = docs.GroupBy(d => d.GetProperty("mix_source").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(50, bySource["a"].Count); // 100 available: downsampled to half
        Assert.Equal(50, bySource["b"].Count); // 20 available: 2.5 epochs
        Assert.Equal(20, bySource["b"].Select(d => d.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(50, bySource["a"].Select(d => d.GetProperty("id").GetString()).Distinct().Count());

        var again = Cli.Run(dir.Path, "mix", "--config", "mix.yaml", "--output", "again");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(File.ReadAllText(dir.File("mixed/part-00000.jsonl")), File.ReadAllText(dir.File("again/part-00000.jsonl")));
        var refused = Cli.Run(dir.Path, "mix", "--config", "mix.yaml");
        Assert.Equal(2, refused.ExitCode);
    }
}
