using System.Text;
using DataPipeline.Core.Compression;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;

namespace DataPipeline.Ingest.Tests;

public class JsonlReaderTests
{
    private static void WriteCompressed(string path, byte[] data, Codec codec)
    {
        using var fs = File.Create(path);
        using var s = Codecs.OpenWrite(fs, codec);
        s.Write(data);
    }

    [Fact]
    public void Reads_ids_text_and_raw_metadata()
    {
        using var dir = new TempDir();
        var path = dir.File("a.jsonl");
        File.WriteAllText(path, "{\"id\":\"x1\",\"text\":\"hello\\nworld\",\"score\":0.50,\"tags\":[\"a\",{\"b\":null}]}\n{\"text\":\"no id\",\"id\":7}\n");
        var r = new ReadHelper();
        var docs = r.Read(path);
        Assert.Equal(2, docs.Count);
        Assert.Equal("x1", docs[0].Id);
        Assert.Equal("hello\nworld", docs[0].Text);
        Assert.Equal("0.50", Encoding.UTF8.GetString(docs[0].Metadata[0].Json.Span));
        Assert.Equal("[\"a\",{\"b\":null}]", Encoding.UTF8.GetString(docs[0].Metadata[1].Json.Span));
        Assert.Equal("7", docs[1].Id);
    }

    [Fact]
    public void Missing_ids_come_from_file_and_line()
    {
        using var dir = new TempDir();
        var path = dir.File("b.jsonl");
        File.WriteAllText(path, "{\"text\":\"one\"}\n\n{\"text\":\"three\"}");
        var docs = new ReadHelper().Read(path);
        Assert.Equal(["b.jsonl/1", "b.jsonl/3"], docs.Select(d => d.Id));
    }

    [Fact]
    public void Bad_records_are_reported_with_reason_and_line_and_neighbours_kept()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.jsonl");
        var lines = new List<byte[]>
        {
            "{\"text\":\"good 1\"}"u8.ToArray(),
            "{\"text\": \"unterminated"u8.ToArray(),
            "[1,2,3]"u8.ToArray(),
            "{\"id\":\"n\"}"u8.ToArray(),
            "{\"text\":42}"u8.ToArray(),
            new byte[] { 0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d },
            new byte[] { 0x00, 0x01, 0x02, 0x9f, 0x00 },
            "   "u8.ToArray(),
            "{\"text\":\"good 2\"} trailing"u8.ToArray(),
            "{\"text\":\"good 3\"}\r"u8.ToArray(),
        };
        File.WriteAllBytes(path, lines.SelectMany(l => l.Append((byte)'\n')).ToArray());
        var r = new ReadHelper();
        var docs = r.Read(path);
        Assert.Equal(["good 1", "good 3"], docs.Select(d => d.Text));
        Assert.Equal(
            new[]
            {
                (2, ErrorReasons.MalformedJson), (3, ErrorReasons.NotAnObject), (4, ErrorReasons.MissingText), (5, ErrorReasons.TextNotString),
                (6, ErrorReasons.InvalidUtf8), (7, ErrorReasons.BinaryData), (9, ErrorReasons.MalformedJson),
            },
            r.Bad.Select(b => (int.Parse(b.Position!.Split(' ')[1]), b.Reason)));
        Assert.All(r.Bad, b => Assert.StartsWith("bad.jsonl, line ", b.Message));
        Assert.Equal(9, r.File.Records);
        Assert.Equal(2, r.File.Documents);
        Assert.Equal(7, r.File.Errors);
    }

    [Fact]
    public void Fail_fast_throws_the_first_bad_record()
    {
        using var dir = new TempDir();
        var path = dir.File("c.jsonl");
        File.WriteAllText(path, "{\"text\":\"ok\"}\nnot json\n");
        var e = Assert.Throws<InputException>(() => new ReadHelper().Read(path, failFast: true));
        Assert.Equal("c.jsonl, line 2: malformed_json: " + e.Detail, e.Message);
    }

    [Theory]
    [InlineData(Codec.Gzip, ".jsonl.gz")]
    [InlineData(Codec.Zstd, ".jsonl.zst")]
    public void Truncated_compressed_file_keeps_complete_lines_and_reports_a_fault(Codec codec, string ext)
    {
        using var dir = new TempDir();
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{{\"text\":\"document number {i} {Guid.NewGuid()}\"}}\n")));
        var full = dir.File("full" + ext);
        WriteCompressed(full, data, codec);
        var bytes = File.ReadAllBytes(full);
        var cut = dir.File("cut" + ext);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var r = new ReadHelper();
        var docs = r.Read(cut);
        Assert.InRange(docs.Count, 1000, 49_999);
        Assert.Equal(Enumerable.Range(0, docs.Count).Select(i => $"document number {i} "), docs.Select(d => d.Text[..d.Text.LastIndexOf(' ')] + " "));
        Assert.NotNull(r.File.Fault);
        Assert.Contains("cut" + ext, r.File.Fault);
        Assert.Equal(1, r.Stats.FileFaults[ErrorReasons.TruncatedCompressedStream]);
    }

    [Fact]
    public void A_file_that_is_not_gzip_under_a_gz_name_is_a_fault()
    {
        using var dir = new TempDir();
        var path = dir.File("fake.jsonl.gz");
        File.WriteAllText(path, "{\"text\":\"plain\"}\n");
        var r = new ReadHelper();
        Assert.Empty(r.Read(path));
        Assert.Contains("not a gzip file", r.File.Fault);
    }

    [Fact]
    public void Empty_file_is_not_an_error()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "e.jsonl", "e.jsonl.gz", "e.jsonl.zst" })
        {
            File.WriteAllBytes(dir.File(name), []);
            var r = new ReadHelper();
            Assert.Empty(r.Read(dir.File(name)));
            Assert.Null(r.File.Fault);
            Assert.Empty(r.Bad);
        }
    }

    [Fact]
    public void A_24_MB_single_line_document_is_read_whole()
    {
        using var dir = new TempDir();
        var path = dir.File("big.jsonl.zst");
        var text = string.Create(24 << 20, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = i % 80 == 79 ? '\n' : (char)('a' + i % 26);
            }
        });
        var json = "{\"text\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}\n{\"text\":\"after\"}\n";
        WriteCompressed(path, Encoding.UTF8.GetBytes(json), Codec.Zstd);
        var docs = new ReadHelper().Read(path);
        Assert.Equal(2, docs.Count);
        Assert.Equal(text, docs[0].Text);
        Assert.Equal("after", docs[1].Text);
    }

    [Fact]
    public void Byte_range_slices_together_read_every_line_once_with_true_line_numbers()
    {
        using var dir = new TempDir();
        var path = dir.File("split.jsonl");
        var random = new Random(3);
        var sb = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            sb.Append("{\"text\":\"").Append(new string('x', random.Next(0, 400))).Append("\"}\n");
            if (i % 97 == 0)
            {
                sb.Append('\n');
            }
        }
        File.WriteAllText(path, sb.ToString());
        var whole = new ReadHelper().Read(path).Select(d => d.Id).ToList();
        long size = new FileInfo(path).Length;
        foreach (int pieces in new[] { 2, 3, 7, 64 })
        {
            var ids = new List<string>();
            for (int p = 0; p < pieces; p++)
            {
                var slice = new InputSlice(path, size, SliceKind.ByteRange, size * p / pieces, size * (p + 1) / pieces);
                ids.AddRange(new ReadHelper().Read(path, slice).Select(d => d.Id));
            }
            Assert.Equal(whole, ids);
        }
    }

    [Fact]
    public void Byte_order_mark_and_crlf_are_tolerated()
    {
        using var dir = new TempDir();
        var path = dir.File("bom.jsonl");
        File.WriteAllBytes(path, [.. "\uFEFF"u8, .. "{\"text\":\"a\"}\r\n{\"text\":\"b\"}\r\n"u8]);
        Assert.Equal(["a", "b"], new ReadHelper().Read(path).Select(d => d.Text));
    }
}
