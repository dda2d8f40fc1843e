using System.Text.Json;
using DataPipeline.Tokenize.Mds;

namespace DataPipeline.Tokenize.Tests;

/// <summary>Our writer against the bytes upstream's MDSWriter wrote, and our reader over them.</summary>
public sealed class MdsGoldenTests
{
    private static string WriteGolden(string dir, string? compression, string[] hashes)
    {
        using var writer = new MdsWriter(dir, GoldenSample.Columns, new MdsWriterOptions { Compression = compression, Hashes = hashes, SizeLimit = 8192 });
        var row = writer.NewRow();
        foreach (var s in GoldenSample.Load())
        {
            row.Clear();
            row.SetInt64("id", s.Id)
               .SetString("text", s.Text)
               .SetArray<int>("tokens", s.Tokens)
               .SetBytes("tokens_bytes", s.TokensBytes);
            writer.Write(row);
        }
        writer.Finish();
        return dir;
    }

    [Fact]
    public void Plain_shards_and_index_are_byte_identical_to_upstream()
    {
        using var tmp = new TempDir();
        string ours = WriteGolden(tmp.File("plain"), null, []);
        string golden = GoldenData.Golden("mds", "plain");
        var expected = Directory.GetFiles(golden).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var actual = Directory.GetFiles(ours).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(9, expected.Length);
        foreach (var name in expected)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(golden, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(ours, name!))), $"{name} differs from upstream");
        }
    }

    [Fact]
    public void Zstd_shards_decompress_to_upstream_bytes_and_raw_hashes_match()
    {
        using var tmp = new TempDir();
        string ours = WriteGolden(tmp.File("zstd"), "zstd", ["sha1", "xxh64"]);
        string golden = GoldenData.Golden("mds", "zstd");
        var goldenIndex = MdsIndex.Load(golden);
        var ourIndex = MdsIndex.Load(ours);
        Assert.Equal(8, goldenIndex.Count);
        Assert.Equal(goldenIndex.Count, ourIndex.Count);
        var zstd = MdsCompression.Parse("zstd");
        for (int i = 0; i < goldenIndex.Count; i++)
        {
            var g = goldenIndex[i];
            var o = ourIndex[i];
            Assert.Equal(g.RawData.Basename, o.RawData.Basename);
            Assert.Equal(g.RawData.Bytes, o.RawData.Bytes);
            Assert.Equal(g.RawData.Hashes, o.RawData.Hashes);
            Assert.Equal(g.Samples, o.Samples);
            Assert.Equal(g.ZipData!.Basename, o.ZipData!.Basename);
            Assert.Equal(g.Config.Compression, o.Config.Compression);
            Assert.Equal(g.Config.Hashes, o.Config.Hashes);
            byte[] ourZip = File.ReadAllBytes(Path.Combine(ours, o.ZipData.Basename));
            Assert.Equal(o.ZipData.Bytes, ourZip.Length);
            Assert.Equal(MdsHashes.Compute("sha1", ourZip), o.ZipData.Hashes["sha1"]);
            Assert.Equal(MdsHashes.Compute("xxh64", ourZip), o.ZipData.Hashes["xxh64"]);
            Assert.Equal(zstd.Decompress(File.ReadAllBytes(Path.Combine(golden, g.ZipData.Basename))), zstd.Decompress(ourZip));
        }
        // Only the compressed file is written, as upstream does.
        Assert.Equal(
            Directory.GetFiles(golden).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(ours).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Zstd_index_json_matches_upstream_apart_from_compressed_file_facts()
    {
        using var tmp = new TempDir();
        string ours = WriteGolden(tmp.File("zstd"), "zstd", ["sha1", "xxh64"]);
        static string MaskZip(string json) => System.Text.RegularExpressions.Regex.Replace(
            json, "\"zip_data\": \\{[^{}]*\\{[^{}]*\\}\\}", "\"zip_data\": Z");
        string expected = MaskZip(File.ReadAllText(GoldenData.Golden("mds", "zstd", "index.json")));
        string actual = MaskZip(File.ReadAllText(Path.Combine(ours, "index.json")));
        Assert.Contains("\"zip_data\": Z", expected, StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("zstd")]
    public void Reader_returns_every_golden_sample(string variant)
    {
        var samples = GoldenSample.Load();
        using var reader = MdsReader.Open(GoldenData.Golden("mds", variant), new MdsReaderOptions { ValidateHash = variant == "zstd" ? "xxh64" : null });
        Assert.Equal(48, samples.Count);
        Assert.Equal(samples.Count, reader.SampleCount);
        // Backwards, so shard switching and the open-shard cache are exercised too.
        for (int i = samples.Count - 1; i >= 0; i--)
        {
            var s = reader.GetSample(i);
            Assert.Equal(samples[i].Id, s.GetInt64("id"));
            Assert.Equal(samples[i].Text, s.GetString("text"));
            Assert.Equal(samples[i].Tokens, s.GetArray<int>("tokens").ToArray());
            Assert.Equal(new long[] { samples[i].Tokens.Length }, s.GetArrayInfo("tokens").Shape);
            Assert.Equal(samples[i].TokensBytes, s.GetBytes("tokens_bytes").ToArray());
        }
    }

    [Fact]
    public void Written_dataset_reads_back_with_hash_validation()
    {
        using var tmp = new TempDir();
        string ours = WriteGolden(tmp.File("zstd7"), "zstd:7", ["sha1", "xxh64"]);
        Assert.True(File.Exists(Path.Combine(ours, "shard.00000.mds.zstd")));
        using var reader = MdsReader.Open(ours, new MdsReaderOptions { ValidateHash = "sha1", MaxOpenShards = 1 });
        var samples = GoldenSample.Load();
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].Text, reader.GetSample(i).GetString("text"));
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ours, "index.json")));
        Assert.Equal("zstd:7", doc.RootElement.GetProperty("shards")[0].GetProperty("compression").GetString());
    }
}
