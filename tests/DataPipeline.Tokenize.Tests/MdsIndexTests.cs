using DataPipeline.Tokenize.Mds;

namespace DataPipeline.Tokenize.Tests;

/// <summary>Merging per-task sub-datasets, and refusing index entries that point elsewhere.</summary>
public sealed class MdsIndexTests
{
    private static void WritePart(string dir, IEnumerable<GoldenSample> samples)
    {
        using var w = new MdsWriter(dir, GoldenSample.Columns, new MdsWriterOptions { SizeLimit = 8192, Hashes = ["sha1"] });
        var row = w.NewRow();
        foreach (var s in samples)
        {
            row.Clear();
            w.Write(row.SetInt64("id", s.Id).SetString("text", s.Text).SetArray<int>("tokens", s.Tokens).SetBytes("tokens_bytes", s.TokensBytes));
        }
        w.Finish();
    }

    [Fact]
    public void Merge_concatenates_parts_as_upstream_merge_index_does()
    {
        using var tmp = new TempDir();
        var samples = GoldenSample.Load();
        WritePart(tmp.File("part-1"), samples.Skip(20));
        WritePart(tmp.File("part-0"), samples.Take(20));

        MdsIndex.Merge(tmp.Path);

        static string Shards(string indexJson, string prefix)
        {
            const string head = "{\"shards\": [";
            const string tail = "], \"version\": 2}";
            Assert.StartsWith(head, indexJson, StringComparison.Ordinal);
            Assert.EndsWith(tail, indexJson, StringComparison.Ordinal);
            return indexJson[head.Length..^tail.Length].Replace("\"basename\": \"shard.", $"\"basename\": \"{prefix}/shard.", StringComparison.Ordinal);
        }
        string expected = "{\"version\": 2, \"shards\": ["
            + Shards(File.ReadAllText(Path.Combine(tmp.File("part-0"), "index.json")), "part-0") + ", "
            + Shards(File.ReadAllText(Path.Combine(tmp.File("part-1"), "index.json")), "part-1") + "]}";
        Assert.Equal(expected, File.ReadAllText(Path.Combine(tmp.Path, "index.json")));

        using var reader = MdsReader.Open(tmp.Path, new MdsReaderOptions { ValidateHash = "sha1" });
        Assert.Equal(samples.Count, reader.SampleCount);
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Id, reader.GetSample(i).GetInt64("id"));
        }
    }

    [Theory]
    [InlineData("../outside.mds")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside.mds")]
    public void Reader_refuses_basenames_outside_the_dataset(string basename)
    {
        using var tmp = new TempDir();
        string ds = tmp.File("ds");
        Directory.CreateDirectory(ds);
        File.WriteAllBytes(tmp.File("outside.mds"), new byte[16]);
        File.WriteAllText(Path.Combine(ds, "index.json"),
            "{\"shards\": [{\"column_encodings\": [\"bytes\"], \"column_names\": [\"x\"], \"column_sizes\": [null], \"compression\": null, \"format\": \"mds\", \"hashes\": [], "
            + $"\"raw_data\": {{\"basename\": \"{basename}\", \"bytes\": 16, \"hashes\": {{}}}}, \"samples\": 1, \"size_limit\": null, \"version\": 2, \"zip_data\": null}}], \"version\": 2}}");
        var e = Assert.Throws<InvalidDataException>(() => MdsReader.Open(ds));
        Assert.Contains("outside the dataset folder", e.Message, StringComparison.Ordinal);
        Assert.Contains(basename, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_refuses_other_versions_and_formats()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("index.json"), "{\"shards\": [], \"version\": 1}");
        Assert.Throws<InvalidDataException>(() => MdsReader.Open(tmp.Path));
        File.WriteAllText(tmp.File("index.json"), "{\"shards\": [{\"format\": \"json\"}], \"version\": 2}");
        Assert.Throws<InvalidDataException>(() => MdsReader.Open(tmp.Path));
    }

    [Fact]
    public void Reader_skips_empty_shards_when_locating_samples()
    {
        using var tmp = new TempDir();
        using (var w = new MdsWriter(tmp.Path, new Dictionary<string, string> { ["x"] = "bytes" }, new MdsWriterOptions { SizeLimit = 300 }))
        {
            var row = w.NewRow();
            foreach (byte v in new byte[] { 1, 2, 3 })
            {
                var payload = new byte[v == 1 ? 400 : 10];
                payload[0] = v;
                w.Write(row.SetBytes("x", payload));
            }
            w.Finish();
        }
        using var reader = MdsReader.Open(tmp.Path);
        Assert.Equal([1, 2, 3], Enumerable.Range(0, 3).Select(i => (int)reader.GetSample(i).GetBytes("x")[0]));
    }
}
