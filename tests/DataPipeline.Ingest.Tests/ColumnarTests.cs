using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Ingest.Writing;

namespace DataPipeline.Ingest.Tests;

public class ColumnarTests
{
    private static Document Doc(string id, string text, params (string Name, string Json)[] fields)
    {
        var m = new DocumentMetadata();
        foreach (var (name, json) in fields)
        {
            m.SetRaw(name, Encoding.UTF8.GetBytes(json));
        }
        return new Document(id, text, default, m);
    }

    private static string Fields(Document d) =>
        string.Join(";", d.Metadata.Fields.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.Name + "=" + Encoding.UTF8.GetString(f.Json.Span)));

    [Fact]
    public void Parquet_round_trip_keeps_ids_text_and_metadata_of_every_kind()
    {
        using var dir = new TempDir();
        var path = dir.File("a.parquet");
        var docs = new List<Document>
        {
            Doc("1", "héllo\n世界 😀", ("url", "\"http://x\""), ("score", "0.25"), ("n", "3"), ("ok", "true"), ("nested", "{\"a\":[1,2]}"), ("maybe", "null")),
            Doc("2", "", ("url", "\"u2\""), ("score", "1"), ("n", "-4"), ("ok", "false"), ("nested", "[]"), ("maybe", "\"s\"")),
            Doc("3", "only text"),
        };
        // Enough documents for a second row group, where a field the schema lacks appears.
        for (int i = 0; i < ParquetDocumentWriter.MaxRowGroupDocuments + 5; i++)
        {
            docs.Add(i == ParquetDocumentWriter.MaxRowGroupDocuments + 2
                ? Doc("late", "late field", ("brand_new", "{\"k\":1}"), ("n", "\"now a string\""))
                : Doc("d" + i, "t" + i, ("n", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        using (var w = new ParquetDocumentWriter(path))
        {
            docs.ForEach(w.Write);
            w.Complete();
        }
        var back = new ReadHelper().Read(path);
        Assert.Equal(docs.Count, back.Count);
        for (int i = 0; i < docs.Count; i++)
        {
            Assert.Equal(docs[i].Id, back[i].Id);
            Assert.Equal(docs[i].Text, back[i].Text);
            Assert.Equal(Fields(docs[i]), Fields(back[i]));
        }
    }

    [Fact]
    public void Parquet_row_group_slices_read_their_rows_only()
    {
        using var dir = new TempDir();
        var path = dir.File("groups.parquet");
        int n = ParquetDocumentWriter.MaxRowGroupDocuments * 2 + 10;
        using (var w = new ParquetDocumentWriter(path))
        {
            for (int i = 0; i < n; i++)
            {
                w.Write(Doc("d" + i, "t"));
            }
            w.Complete();
        }
        var size = new FileInfo(path).Length;
        var slices = Inputs.InputFormats.Split(path, size, 3, "auto");
        Assert.Equal(3, slices.Count);
        var ids = slices.SelectMany(s => new ReadHelper().Read(path, s)).Select(d => d.Id).ToList();
        Assert.Equal(Enumerable.Range(0, n).Select(i => "d" + i), ids);
    }

    [Fact]
    public void Corrupt_parquet_is_a_fault_naming_the_file()
    {
        using var dir = new TempDir();
        var path = dir.File("broken.parquet");
        File.WriteAllText(path, "this is not parquet at all, just text pretending");
        var r = new ReadHelper();
        Assert.Empty(r.Read(path));
        Assert.Contains("broken.parquet", r.File.Fault);
        Assert.Equal(1, r.Stats.FileFaults[ErrorReasons.CorruptParquet]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Arrow_ipc_file_and_stream(bool fileFormat)
    {
        using var dir = new TempDir();
        var path = dir.File(fileFormat ? "a.arrow" : "a.arrows");
        var batch = new RecordBatch.Builder()
            .Append("text", false, col => col.String(b => b.Append("first").Append("second").AppendNull()))
            .Append("id", false, col => col.String(b => b.Append("a").Append("b").Append("c")))
            .Append("n", false, col => col.Int64(b => b.Append(1).Append(2).Append(3)))
            .Build();
        using (var fs = File.Create(path))
        {
            if (fileFormat)
            {
                using var writer = new ArrowFileWriter(fs, batch.Schema);
                writer.WriteRecordBatch(batch);
                writer.WriteEnd();
            }
            else
            {
                using var writer = new ArrowStreamWriter(fs, batch.Schema);
                writer.WriteRecordBatch(batch);
                writer.WriteEnd();
            }
        }
        var r = new ReadHelper();
        var docs = r.Read(path);
        Assert.Equal(["a", "b"], docs.Select(d => d.Id));
        Assert.Equal(["first", "second"], docs.Select(d => d.Text));
        Assert.Equal("n=2", Fields(docs[1]));
        Assert.Equal(ErrorReasons.MissingText, Assert.Single(r.Bad).Reason);
    }

    [Fact]
    public void Text_files_are_one_document_each()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("docs/sub"));
        File.WriteAllText(dir.File("docs/a.txt"), "alpha");
        File.WriteAllText(dir.File("docs/sub/b.md"), "beta\n");
        File.WriteAllBytes(dir.File("docs/sub/c.txt"), [0x61, 0xff, 0x62]);
        File.WriteAllText(dir.File("docs/.hidden.txt"), "skipped");
        var files = Inputs.InputResolver.Resolve([dir.File("docs")], dir.Path);
        Assert.Equal(["a.txt", "sub/b.md", "sub/c.txt"], files.Select(f => f.IdName));
        var r = new ReadHelper();
        var texts = files.SelectMany(f => r.Read(f.FullPath)).Select(d => d.Text).ToList();
        Assert.Equal(["alpha", "beta\n"], texts);
        Assert.Equal(ErrorReasons.InvalidUtf8, Assert.Single(r.Bad).Reason);
    }

    [Fact]
    public void Globs_match_names_and_folders()
    {
        using var dir = new TempDir();
        foreach (var f in new[] { "a/x.jsonl", "a/y.jsonl.zst", "a/b/z.jsonl", "a/notes.txt" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dir.File(f))!);
            File.WriteAllText(dir.File(f), "");
        }
        Assert.Equal(["x.jsonl"], Inputs.InputResolver.Resolve(["a/*.jsonl"], dir.Path).Select(f => f.IdName));
        Assert.Equal(["b/z.jsonl", "x.jsonl"], Inputs.InputResolver.Resolve(["a/**/*.jsonl"], dir.Path).Select(f => f.IdName));
        Assert.Throws<DataPipelineException>(() => Inputs.InputResolver.Resolve(["a/*.parquet"], dir.Path));
    }
}
