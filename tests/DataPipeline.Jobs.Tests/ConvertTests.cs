using System.Text;
using System.Text.Json;
using DataPipeline.Core.Compression;

namespace DataPipeline.Jobs.Tests;

public class ConvertTests
{
    [Fact]
    public void Jsonl_to_parquet_to_jsonl_keeps_every_document_id_text_and_metadata()
    {
        using var dir = new TempDir();
        var lines = Corpus.SampleLines(500);
        // Add records with metadata of every JSON kind, one without an id, and awkward text.
        lines.Add("{\"id\":\"m1\",\"text\":\"tab\\tquote\\\" nul-free \\u00e9 \\ud83d\\ude00\",\"score\":0.125,\"n\":7,\"ok\":true,\"tags\":[\"a\",1],\"obj\":{\"k\":null},\"empty\":\"\"}");
        lines.Add("{\"text\":\"no id here\",\"source\":\"x\"}");
        File.WriteAllText(dir.File("in.jsonl"), string.Join("\n", lines) + "\n");

        var toParquet = Cli.Run(dir.Path, "convert", "--input", "in.jsonl", "--output", "pq", "--format", "parquet", "--workers", "2", "--quiet");
        Assert.True(toParquet.ExitCode == 0, toParquet.ToString());
        var back = Cli.Run(dir.Path, "convert", "--input", "pq/*.parquet", "--output", "back", "--format", "jsonl", "--quiet");
        Assert.True(back.ExitCode == 0, back.ToString());

        var original = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var result = Corpus.ReadParts(dir.File("back"));
        Assert.Equal(original.Count, result.Count);
        for (int i = 0; i < original.Count; i++)
        {
            var o = original[i];
            var r = result[i];
            string expectedId = o.TryGetProperty("id", out var id) ? id.GetString()! : "in.jsonl/" + (i + 1);
            Assert.Equal(expectedId, r.GetProperty("id").GetString());
            Assert.Equal(Encoding.UTF8.GetBytes(o.GetProperty("text").GetString()!), Encoding.UTF8.GetBytes(r.GetProperty("text").GetString()!));
            foreach (var p in o.EnumerateObject().Where(p => p.Name is not ("id" or "text")))
            {
                Assert.True(r.TryGetProperty(p.Name, out var v), $"document {i} lost field {p.Name}");
                Assert.True(JsonElement.DeepEquals(p.Value, v), $"document {i} field {p.Name}: {p.Value.GetRawText()} became {v.GetRawText()}");
            }
            Assert.Equal(o.EnumerateObject().Count(p => p.Name != "id") + 1, r.EnumerateObject().Count());
        }
    }

    [Theory]
    [InlineData("jsonl.zst")]
    [InlineData("jsonl.gz")]
    public void Compressed_outputs_read_back(string format)
    {
        using var dir = new TempDir();
        var lines = Corpus.SampleLines(200);
        File.WriteAllText(dir.File("in.jsonl"), string.Join("\n", lines) + "\n");
        var r = Cli.Run(dir.Path, "convert", "-i", "in.jsonl", "-o", "out", "--format", format, "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var files = Directory.GetFiles(dir.File("out"), "part-*");
        Assert.All(files, f => Assert.EndsWith("." + format, f));
        Assert.Equal(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()),
            Corpus.ReadParts(dir.File("out")).Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public void Arrow_and_text_folders_convert()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("txt/sub"));
        File.WriteAllText(dir.File("txt/one.txt"), "first file");
        File.WriteAllText(dir.File("txt/sub/two.txt"), "second file\n");
        var r = Cli.Run(dir.Path, "convert", "-i", "txt", "-o", "out", "--format", "jsonl", "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var docs = Corpus.ReadParts(dir.File("out"));
        Assert.Equal(["one.txt", "sub/two.txt"], docs.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal("second file\n", docs[1].GetProperty("text").GetString());
    }

    [Fact]
    public void Existing_output_needs_overwrite_or_resume()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), "{\"text\":\"a\"}\n");
        Assert.Equal(0, Cli.Run(dir.Path, "convert", "-i", "in.jsonl", "-o", "out", "--format", "jsonl", "-q").ExitCode);
        var again = Cli.Run(dir.Path, "convert", "-i", "in.jsonl", "-o", "out", "--format", "jsonl", "-q");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--overwrite", again.Stderr);
        Assert.Equal(0, Cli.Run(dir.Path, "convert", "-i", "in.jsonl", "-o", "out", "--format", "jsonl", "-q", "--overwrite").ExitCode);
        var resumed = Cli.Run(dir.Path, "convert", "-i", "in.jsonl", "-o", "out", "--format", "jsonl", "--resume");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("already complete", resumed.Stdout);
    }
}
