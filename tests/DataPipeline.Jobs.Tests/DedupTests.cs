using System.Text.Json;
using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Jobs.Tests;

/// <summary>The dedup verb and the dedup step in pipelines, end to end through the four passes.</summary>
public class DedupTests
{
    private static string Line(string id, string text) => JsonSerializer.Serialize(new { id, text });

    private static string Text(string jsonLine) => JsonDocument.Parse(jsonLine).RootElement.GetProperty("text").GetString()!;

    private static string Id(string jsonLine) => JsonDocument.Parse(jsonLine).RootElement.GetProperty("id").GetString()!;

    /// <summary>
    /// 300 sample documents in 3 files plus planted copies: an exact copy, a copy differing only in case and
    /// punctuation (equal after normalisation), and a copy with one word changed per ~100 words.
    /// </summary>
    private static TempDir Prepare()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        var lines = Corpus.SampleLines(300).Where(l => Text(l).Split(' ').Length > 300).Take(120).ToList();
        var exactOf = lines[5];
        var caseOf = lines[20];
        var nearOf = lines[40];
        var words = Text(nearOf).Split(' ');
        for (int i = 50; i < words.Length; i += 100) words[i] = "planted" + i;
        var planted = new List<string>
        {
            Line("planted-exact", Text(exactOf)),
            Line("planted-case", Text(caseOf).ToUpperInvariant().Replace(".", "!", StringComparison.Ordinal)),
            Line("planted-near", string.Join(' ', words)),
            Line("empty-1", ""),
            Line("empty-2", ""),
            Line("short-1", "four words only here"),
            Line("short-2", "four words only here"),
        };
        var all = lines.Concat(planted).ToList();
        for (int f = 0; f < 3; f++)
        {
            // Contiguous thirds: the planted copies, last, come after their originals in input order.
            File.WriteAllLines(dir.File($"in/f{f}.jsonl"), all.Skip(all.Count * f / 3).Take(all.Count * (f + 1) / 3 - all.Count * f / 3));
        }
        return dir;
    }

    private static List<JsonElement> Removed(string path) =>
        File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void Dedup_verb_removes_planted_duplicates_and_says_what_each_duplicates()
    {
        using var dir = Prepare();
        var r = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "out", "--tasks", "3", "-q");
        Assert.True(r.ExitCode == 0, r.ToString());
        var input = Directory.GetFiles(dir.File("in")).SelectMany(File.ReadAllLines).ToList();
        var kept = Corpus.ReadParts(dir.File("out")).Select(e => e.GetProperty("id").GetString()!).ToList();
        var removed = Removed(dir.File("out/removed.jsonl"));
        var byId = removed.ToDictionary(e => e.GetProperty("id").GetString()!);

        Assert.Equal(input.Count, kept.Count + removed.Count);
        Assert.Empty(kept.Intersect(byId.Keys));
        var ids = input.Select(Id).ToList();
        // Each planted copy comes after its original in input order, so the original is kept.
        Assert.Equal("exact_duplicate", byId["planted-exact"].GetProperty("reason").GetString());
        Assert.Equal("exact_duplicate", byId["planted-case"].GetProperty("reason").GetString());
        Assert.Equal("near_duplicate", byId["planted-near"].GetProperty("reason").GetString());
        foreach (var e in removed)
        {
            var keptId = e.GetProperty("duplicate_of").GetString()!;
            Assert.Contains(keptId, kept);
            Assert.True(e.GetProperty("cluster_size").GetInt32() >= 2);
        }
        // Empty texts are never one another's duplicates; identical short texts are exact duplicates (no MinHash signature).
        Assert.Contains("empty-1", kept);
        Assert.Contains("empty-2", kept);
        Assert.Contains("short-1", kept);
        Assert.Equal("short-1", byId["short-2"].GetProperty("duplicate_of").GetString());

        var stats = Corpus.Stats(dir.File("out"));
        var stages = stats.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["dedup.signatures", "dedup.buckets", "dedup.clusters", "dedup"], stages.Keys);
        var removedByReason = stages["dedup"].GetProperty("removed");
        Assert.Equal(removed.Count, removedByReason.EnumerateObject().Sum(p => p.Value.GetInt64()));
        var counters = stages["dedup.clusters"].GetProperty("steps")[0].GetProperty("counters");
        Assert.Equal(removed.Count, counters.GetProperty("removed").GetDouble());
        Assert.Equal(removed.Select(e => e.GetProperty("cluster").GetInt64()).Distinct().Count(), counters.GetProperty("clusters").GetDouble());
        Assert.Contains("removed by dedup", r.Stdout);
    }

    [Fact]
    public void An_output_folder_inside_the_input_folder_is_not_read_as_input()
    {
        using var dir = Prepare();
        var r = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "in/out", "--workers", "2", "-q");
        Assert.True(r.ExitCode == 0, r.ToString());
        var input = Directory.GetFiles(dir.File("in"), "*.jsonl").SelectMany(File.ReadAllLines).Count();
        Assert.Equal(input, Corpus.ReadParts(dir.File("in/out")).Count + File.ReadAllLines(dir.File("in/out/removed.jsonl")).Length);
    }

    [Fact]
    public void Result_does_not_depend_on_the_number_of_tasks_or_workers()
    {
        using var dir = Prepare();
        var one = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "one", "--tasks", "1", "--workers", "1", "-q");
        Assert.True(one.ExitCode == 0, one.ToString());
        var five = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "five", "--tasks", "5", "--workers", "2", "--bucket-workers", "3", "-q");
        Assert.True(five.ExitCode == 0, five.ToString());
        Assert.Equal(File.ReadAllText(dir.File("one/removed.jsonl")), File.ReadAllText(dir.File("five/removed.jsonl")));
        Assert.Equal(Corpus.ReadParts(dir.File("one")).Select(e => e.GetProperty("id").GetString()),
            Corpus.ReadParts(dir.File("five")).Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public void Exact_only_and_threshold_options_are_honoured()
    {
        using var dir = Prepare();
        var r = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "exact", "--exact", "-q");
        Assert.True(r.ExitCode == 0, r.ToString());
        var removed = Removed(dir.File("exact/removed.jsonl"));
        Assert.All(removed, e => Assert.Equal("exact_duplicate", e.GetProperty("reason").GetString()));
        Assert.DoesNotContain(removed, e => e.GetProperty("id").GetString() == "planted-near");
        Assert.False(Directory.Exists(dir.File("exact/dedup.signatures/part-00000")) &&
            Directory.GetFiles(dir.File("exact/dedup.signatures/part-00000"), "*.bandsig").Length > 0, "exact-only wrote band files");

        var t = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "threshold", "--minhash", "--threshold", "0.8", "--verify", "-q");
        Assert.True(t.ExitCode == 0, t.ToString());
        var near = Removed(dir.File("threshold/removed.jsonl"));
        // Normalised-equal texts have equal signatures: found at any threshold, here as near duplicates (exact is off).
        Assert.Contains(near, e => e.GetProperty("id").GetString() == "planted-case" && e.GetProperty("reason").GetString() == "near_duplicate");
        var counters = Corpus.Stats(dir.File("threshold")).GetProperty("stages")[2].GetProperty("steps")[0].GetProperty("counters");
        Assert.True(counters.TryGetProperty("pairs_rejected_by_verification", out _));

        var both = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "bad", "--threshold", "0.8", "--bands", "10", "-q");
        Assert.Equal(2, both.ExitCode);
    }

    /// <summary>
    /// 40 copies with 3% of their words replaced (word 5-gram Jaccard about 0.75, where datatrove's 14×8
    /// bands find about three in four) and 30 documents that share 57% of another's words (Jaccard about
    /// 0.4: related, not duplicates), the rest unrelated sample documents.
    /// </summary>
    private static (TempDir Dir, List<string> Copies, List<string> Related) PrepareHardCases()
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        // Sample texts cut down to their words of letters only, so that "3% of the words" and "57% of the
        // words" mean the same for the normaliser as here (code and numbers would blur both).
        // The sample corpus holds near-duplicate families of its own: bases are taken only when they share
        // under 10% of their 5-grams with every earlier base.
        static HashSet<string> Grams(string[] w) =>
            Enumerable.Range(0, w.Length - 4).Select(i => string.Join(' ', w, i, 5).ToLowerInvariant()).ToHashSet();
        var bases = new List<string[]>();
        var grams = new List<HashSet<string>>();
        foreach (var line in Corpus.SampleLines(2400))
        {
            var w = Text(line).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(t => t.All(char.IsAsciiLetter)).ToArray();
            if (w.Length <= 200) continue;
            var g = Grams(w);
            if (grams.Any(h => g.Count(h.Contains) > 0.1 * Math.Min(g.Count, h.Count))) continue;
            bases.Add(w);
            grams.Add(g);
            if (bases.Count == 100) break;
        }
        Assert.Equal(100, bases.Count);
        var rng = new Random(4);
        var lines = bases.Select((w, i) => Line($"base-{i}", string.Join(' ', w))).ToList();
        var copies = new List<string>();
        var related = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            var words = (string[])bases[i].Clone();
            foreach (int k in Enumerable.Range(0, words.Length).OrderBy(_ => rng.Next()).Take(words.Length * 3 / 100))
            {
                words[k] = string.Concat(Enumerable.Range(0, 7).Select(_ => (char)('a' + rng.Next(26))));
            }
            copies.Add($"copy-{i}");
            lines.Add(Line($"copy-{i}", string.Join(' ', words)));
        }
        for (int i = 0; i < 30; i++)
        {
            // 57% of a's words, then as many of the longer b's as make up a's length: Jaccard ≈ 0.57/1.43 with a, under 0.3 with b.
            var (a, b) = bases[40 + i].Length <= bases[70 + i].Length ? (bases[40 + i], bases[70 + i]) : (bases[70 + i], bases[40 + i]);
            int shared = a.Length * 57 / 100;
            related.Add($"related-{i}");
            lines.Add(Line($"related-{i}", string.Join(' ', a.Take(shared).Concat(b.Take(a.Length - shared)))));
        }
        File.WriteAllLines(dir.File("in/a.jsonl"), lines);
        return (dir, copies, related);
    }

    [Fact]
    public void Half_band_candidates_confirmed_by_the_whole_signature_find_more_copies_than_datatrove_bands_and_join_no_related_texts()
    {
        var (dir, copies, related) = PrepareHardCases();
        using var _ = dir;
        HashSet<string> RemovedIds(string output, params string[] options)
        {
            var r = Cli.Run(dir.Path, ["dedup", "--input", "in", "--output", output, "-q", .. options]);
            Assert.True(r.ExitCode == 0, r.ToString());
            return Removed(dir.File(output + "/removed.jsonl")).Select(e => e.GetProperty("id").GetString()!).ToHashSet();
        }
        var ours = RemovedIds("default");
        var datatrove = RemovedIds("datatrove", "--candidate-rows", "8", "--confirm", "0");
        var unconfirmed = RemovedIds("unconfirmed", "--confirm", "0");

        int found = copies.Count(ours.Contains), foundByBands = copies.Count(datatrove.Contains);
        Assert.True(found >= 38, $"default found {found} of 40 edited copies");
        Assert.True(foundByBands < found, $"datatrove's bands found {foundByBands}, the default {found}");
        // Only the planted copies go: no related text, no base document.
        Assert.True(!ours.Except(copies).Any(), "removed beyond the copies: " + string.Join(", ", ours.Except(copies)));
        // Without confirmation the half-bands join related texts too: the confirmation is what keeps them.
        Assert.True(related.Count(unconfirmed.Contains) >= 5, $"half-bands alone joined {related.Count(unconfirmed.Contains)} related texts");
        var counters = Corpus.Stats(dir.File("default")).GetProperty("stages")[2].GetProperty("steps")[0].GetProperty("counters");
        Assert.True(counters.GetProperty("pairs_rejected_by_confirmation").GetDouble() > 0);
    }

    private const string Pipeline = """
        name: dedup-pipeline
        input:
          paths: [in/*.jsonl]
        format: jsonl
        keep_removed: true
        stages:
          - name: filter
            tasks: 3
            steps:
              - length_filter: {min_chars: 10}
          - name: dedup
            steps:
              - dedup: {bucket_workers: 2}
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
    public void Dedup_stage_in_a_pipeline_resumes_after_a_failed_pass_with_identical_output()
    {
        using var dir = Prepare();
        File.WriteAllText(dir.File("pipeline.yaml"), Pipeline);
        var reference = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", "reference", "--workers", "2", "-q", "--no-report");
        Assert.True(reference.ExitCode == 0, reference.ToString());
        Assert.True(File.Exists(dir.File("reference/dedup.clusters/removed.jsonl")));
        Assert.NotEmpty(Directory.GetFiles(dir.File("reference/removed/dedup")));

        foreach (var (stage, rank) in new[] { ("dedup.signatures", 1), ("dedup.buckets", 5), ("dedup.clusters", 0), ("dedup", 0) })
        {
            var output = "run-" + stage;
            var env = new Dictionary<string, string> { ["DATAPIPE_INJECT_FAIL"] = $"{stage}:{rank}" };
            var failed = Cli.RunWith(dir.Path, env, "run", "pipeline.yaml", "--output", output, "--workers", "2", "-q", "--no-report");
            Assert.True(failed.ExitCode == 1, failed.ToString());
            Assert.Contains("injected failure", failed.Stderr);
            var resumed = Cli.Run(dir.Path, "run", "pipeline.yaml", "--output", output, "--workers", "2", "--resume", "-q", "--no-report");
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
            Assert.Equal(DataFiles(dir.File("reference")).Where(kv => !kv.Key.Contains("dedup.", StringComparison.Ordinal) || kv.Key.EndsWith(".jsonl", StringComparison.Ordinal)),
                DataFiles(dir.File(output)).Where(kv => !kv.Key.Contains("dedup.", StringComparison.Ordinal) || kv.Key.EndsWith(".jsonl", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Dedup_after_another_step_in_its_stage_is_a_clear_configuration_error()
    {
        using var dir = Prepare();
        Assert.Contains("      - dedup: {bucket_workers: 2}\n", Pipeline, StringComparison.Ordinal);
        File.WriteAllText(dir.File("bad.yaml"), Pipeline.Replace("      - dedup: {bucket_workers: 2}\n      - length_filter: {max_chars: 1000000}",
            "      - length_filter: {max_chars: 1000000}\n      - dedup: {bucket_workers: 2}", StringComparison.Ordinal));
        var r = Cli.Run(dir.Path, "run", "bad.yaml", "--output", "out", "-q");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'dedup' must be the first step of its stage", r.Stderr);
    }

    [Fact]
    public void Gpu_backend_without_a_cuda_device_is_a_clear_error()
    {
        using var dir = Prepare();
        var r = Cli.Run(dir.Path, "dedup", "--input", "in", "--output", "gpu", "--backend", "gpu", "-q");
        if (IlgpuMinHashBackend.CudaAvailable())
        {
            Assert.True(r.ExitCode == 0, r.ToString());
            return;
        }
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("backend 'gpu'", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
    }
}
