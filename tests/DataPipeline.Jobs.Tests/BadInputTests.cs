using System.Text;
using System.Text.Json;
using DataPipeline.Core.Compression;

namespace DataPipeline.Jobs.Tests;

/// <summary>
/// The foundation's bad-input bar: a folder of every kind of broken file goes through convert with
/// the skip policy; every well-formed document comes out once, in = out + quarantined per readable
/// file, and every error names its file and line. With fail, the run stops with that message.
/// </summary>
public class BadInputTests
{
    private static string Good(string file, int i) => JsonSerializer.Serialize(new { id = $"{file}-{i}", text = $"document {i} of {file}: some real text here.", n = i });

    private sealed record Expectation(string File, List<string> Ids, int BadRecords, bool Faulted);

    private static List<Expectation> BuildBrokenFolder(string dir)
    {
        var expectations = new List<Expectation>();

        var goodIds = new List<string>();
        var sb = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            sb.Append(Good("good", i)).Append('\n');
            goodIds.Add($"good-{i}");
        }
        File.WriteAllText(Path.Combine(dir, "good.jsonl"), sb.ToString());
        expectations.Add(new("good.jsonl", goodIds, 0, false));

        // Every kind of bad record, each between good neighbours, plus blank lines (not errors).
        var mixed = new MemoryStream();
        var mixedIds = new List<string>();
        void Line(byte[] bytes)
        {
            mixed.Write(bytes);
            mixed.WriteByte((byte)'\n');
        }
        var bad = new List<byte[]>
        {
            "{\"id\":\"x\",\"text\":\"unterminated"u8.ToArray(),
            "not json at all"u8.ToArray(),
            "[\"an\",\"array\"]"u8.ToArray(),
            "\"just a string\""u8.ToArray(),
            "{\"id\":\"no-text\",\"body\":\"wrong field\"}"u8.ToArray(),
            "{\"id\":\"num-text\",\"text\":12345}"u8.ToArray(),
            "{\"id\":\"null-text\",\"text\":null}"u8.ToArray(),
            "{\"id\":\"bad-utf8\",\"text\":\"caf"u8.ToArray().Concat(new byte[] { 0xC3, 0x28 }).Concat("\"}"u8.ToArray()).ToArray(),
            new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x1B, 0x1A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0xFF, 0xD8 },
            "{\"id\":\"two\",\"text\":\"a\"} {\"id\":\"objects\"}"u8.ToArray(),
        };
        for (int i = 0; i < bad.Count; i++)
        {
            Line(Encoding.UTF8.GetBytes(Good("mixed", i)));
            mixedIds.Add($"mixed-{i}");
            Line(bad[i]);
            Line([]);
        }
        Line(Encoding.UTF8.GetBytes(Good("mixed", 99)));
        mixedIds.Add("mixed-99");
        File.WriteAllBytes(Path.Combine(dir, "mixed.jsonl"), mixed.ToArray());
        expectations.Add(new("mixed.jsonl", mixedIds, bad.Count, false));

        // Truncated gzip and zstd: what was read before the cut is kept, the file is reported.
        foreach (var (codec, ext) in new[] { (Codec.Gzip, ".jsonl.gz"), (Codec.Zstd, ".jsonl.zst") })
        {
            var name = "truncated" + ext;
            var content = new StringBuilder();
            var ids = new List<string>();
            for (int i = 0; i < 20_000; i++)
            {
                content.Append(JsonSerializer.Serialize(new { id = $"{name}-{i}", text = $"{Guid.NewGuid()} {i}" })).Append('\n');
                ids.Add($"{name}-{i}");
            }
            var full = Path.Combine(dir, "full" + ext + ".tmpfile");
            Corpus.WriteCompressed(full, content.ToString(), codec);
            var bytes = File.ReadAllBytes(full);
            File.Delete(full);
            File.WriteAllBytes(Path.Combine(dir, name), bytes[..(bytes.Length * 2 / 3)]);
            expectations.Add(new(name, ids, 0, true));
        }

        File.WriteAllBytes(Path.Combine(dir, "empty.jsonl"), []);
        expectations.Add(new("empty.jsonl", [], 0, false));

        File.WriteAllText(Path.Combine(dir, "plain-text.jsonl.gz"), Good("fake-gz", 0) + "\n");
        expectations.Add(new("plain-text.jsonl.gz", [], 0, true));

        // A 24 MB single-line document between two small ones.
        var big = new string('w', 24 << 20).ToCharArray();
        for (int i = 80; i < big.Length; i += 81)
        {
            big[i] = ' ';
        }
        File.WriteAllText(Path.Combine(dir, "big.jsonl"),
            Good("big", 0) + "\n" + JsonSerializer.Serialize(new { id = "big-huge", text = new string(big) }) + "\n" + Good("big", 2) + "\n");
        expectations.Add(new("big.jsonl", ["big-0", "big-huge", "big-2"], 0, false));
        return expectations;
    }

    [Fact]
    public void Skip_policy_keeps_every_good_document_once_and_accounts_for_every_record()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("broken"));
        var expectations = BuildBrokenFolder(dir.File("broken"));

        var r = Cli.Run(dir.Path, "convert", "--input", "broken", "--output", "out", "--format", "jsonl", "--workers", "2", "--quiet");
        if (Environment.GetEnvironmentVariable("KEEP_BROKEN") is { } keep)
        {
            CopyDir(dir.Path, keep);
        }
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);

        var output = Corpus.ReadParts(dir.File("out")).Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(output.Count, output.Distinct().Count());
        var outputSet = output.ToHashSet();
        var stats = Corpus.Stats(dir.File("out")).GetProperty("stages")[0];
        var files = stats.GetProperty("files").EnumerateArray().ToDictionary(f => Path.GetFileName(f.GetProperty("path").GetString()!));
        var quarantine = Directory.GetFiles(dir.File("out/quarantine/convert"))
            .SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

        long totalOut = 0;
        foreach (var e in expectations)
        {
            var f = files[e.File];
            var outOfFile = output.Where(id => e.Ids.Contains(id)).ToList();
            if (e.Faulted)
            {
                Assert.True(f.TryGetProperty("fault", out var fault), e.File + " should report a fault");
                Assert.Contains(e.File, fault.GetString());
                // Documents read before the fault are kept, in order, with nothing after a gap.
                Assert.Equal(e.Ids.Take(outOfFile.Count), outOfFile);
            }
            else
            {
                Assert.Equal(e.Ids, outOfFile);
                Assert.False(f.TryGetProperty("fault", out _), e.File);
            }
            // documents in = documents out + quarantined, for every readable file
            Assert.Equal(f.GetProperty("records").GetInt64(), outOfFile.Count + f.GetProperty("errors").GetInt64());
            Assert.Equal(e.BadRecords, f.GetProperty("errors").GetInt64());
            Assert.Equal(e.BadRecords, quarantine.Count(q => q.GetProperty("file").GetString()!.EndsWith(e.File, StringComparison.Ordinal) && q.TryGetProperty("line", out _)));
            totalOut += outOfFile.Count;
        }
        Assert.Equal(output.Count, totalOut);
        Assert.Equal(stats.GetProperty("documents_out").GetInt64(), output.Count);
        Assert.Equal(stats.GetProperty("documents_in").GetInt64(), stats.GetProperty("documents_out").GetInt64() + stats.GetProperty("errors").EnumerateObject().Sum(p => p.Value.GetInt64()));

        // Each bad record's quarantine entry names file, line and reason; reasons are the documented ones.
        var reasons = quarantine.Where(q => q.TryGetProperty("line", out _)).Select(q => q.GetProperty("reason").GetString()).ToHashSet();
        Assert.Subset(new HashSet<string?> { "malformed_json", "not_an_object", "missing_text", "text_not_string", "invalid_utf8", "binary_data" }, reasons);
        Assert.Contains("malformed_json", reasons);
        Assert.Contains("invalid_utf8", reasons);
        Assert.Contains("binary_data", reasons);
        Assert.Equal(3, quarantine.Count(q => !q.TryGetProperty("line", out _)));
        Assert.Contains("truncated_compressed_stream", r.Stdout + File.ReadAllText(dir.File("out/stats.json")));
        Assert.Contains("wrong_file_type", File.ReadAllText(dir.File("out/stats.json")));
    }

    private static void CopyDir(string from, string to)
    {
        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target, true);
        }
    }

    [Fact]
    public void Fail_policy_stops_with_the_file_and_line()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("broken"));
        BuildBrokenFolder(dir.File("broken"));
        var r = Cli.Run(dir.Path, "convert", "--input", "broken", "--output", "out", "--format", "jsonl", "--on-error", "fail", "--workers", "1", "--quiet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Matches(@"broken/[\w.-]+(, line \d+|, after line \d+|): [a-z_]+: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Fail_policy_on_a_single_bad_line_names_it()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), "{\"text\":\"fine\"}\n{\"text\":\"fine\"}\n{\"text\": oops}\n");
        var r = Cli.Run(dir.Path, "convert", "-i", "in.jsonl", "-o", "out", "--format", "jsonl", "--on-error", "fail", "-q");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("in.jsonl, line 3: malformed_json:", r.Stderr);
        Assert.False(File.Exists(dir.File("out/part-00000.jsonl")), "the failed task must leave no visible output");
        Assert.Empty(Directory.GetFiles(dir.File("out"), ".part-*"));
    }
}
