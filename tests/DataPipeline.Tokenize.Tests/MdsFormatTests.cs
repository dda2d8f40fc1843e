using System.Buffers;
using System.Text;
using System.Text.Json;
using DataPipeline.Tokenize.Mds;

namespace DataPipeline.Tokenize.Tests;

/// <summary>The byte-level rules of formats.md §1, each checked against upstream's verified output.</summary>
public sealed class MdsFormatTests
{
    [Fact]
    public void Two_sample_worked_example_matches_upstream_bytes()
    {
        using var tmp = new TempDir();
        using (var w = new MdsWriter(tmp.Path, new Dictionary<string, string> { ["tokens"] = "ndarray:int32", ["id"] = "int" }, new MdsWriterOptions { Hashes = ["sha1", "xxh64"] }))
        {
            var row = w.NewRow();
            w.Write(row.SetInt64("id", 7).SetArray<int>("tokens", [1, 2, 3]));
            row.Clear();
            w.Write(row.SetInt64("id", -1).SetArray<int>("tokens", [258]));
            w.Finish();
        }
        byte[] shard = File.ReadAllBytes(Path.Combine(tmp.Path, "shard.00000.mds"));
        Assert.Equal(272, shard.Length);
        Assert.Equal("02000000e4000000fe00000010010000", Convert.ToHexStringLower(shard.AsSpan(0, 16)));
        Assert.Equal("0e0000000700000000000000040301000000020000000300000006000000ffffffffffffffff040102010000", Convert.ToHexStringLower(shard.AsSpan(0xe4)));
        Assert.Equal(
            "{\"shards\": [{\"column_encodings\": [\"int\", \"ndarray:int32\"], \"column_names\": [\"id\", \"tokens\"], \"column_sizes\": [8, null], \"compression\": null, \"format\": \"mds\", \"hashes\": [\"sha1\", \"xxh64\"], \"raw_data\": {\"basename\": \"shard.00000.mds\", \"bytes\": 272, \"hashes\": {\"sha1\": \"56bebbde18e3660d326c278642de98aeff998364\", \"xxh64\": \"2b57aedeaa1da180\"}}, \"samples\": 2, \"size_limit\": 67108864, \"version\": 2, \"zip_data\": null}], \"version\": 2}",
            File.ReadAllText(Path.Combine(tmp.Path, "index.json")));
        using var reader = MdsReader.Open(tmp.Path);
        Assert.Equal(-1, reader.GetSample(1).GetInt64("id"));
        Assert.Equal([258], reader.GetSample(1).GetArray<int>("tokens").ToArray());
    }

    [Fact]
    public void Oversized_first_sample_gives_an_empty_first_shard_as_upstream()
    {
        using var tmp = new TempDir();
        using var w = new MdsWriter(tmp.Path, new Dictionary<string, string> { ["x"] = "bytes" }, new MdsWriterOptions { SizeLimit = 300 });
        var row = w.NewRow();
        foreach (int size in new[] { 400, 10, 10 })
        {
            row.Clear();
            w.Write(row.SetBytes("x", new byte[size]));
        }
        var shards = w.Finish();
        Assert.Equal([0L, 1L, 2L], shards.Select(s => s.Samples));
        Assert.Equal([171L, 579L, 207L], shards.Select(s => s.RawData.Bytes));
        using var reader = MdsReader.Open(tmp.Path);
        Assert.Equal(3, reader.SampleCount);
        Assert.Equal(400, reader.GetSample(0).GetBytes("x").Length);
        Assert.Equal(10, reader.GetSample(2).GetBytes("x").Length);
    }

    [Fact]
    public void Llm_foundry_config_is_183_bytes_and_zstd_frames_record_content_size()
    {
        var config = new MdsShardConfig(["ndarray:int32"], ["tokens"], [null], "zstd", [], MdsSizeLimit.Default);
        Assert.Equal(
            "{\"column_encodings\": [\"ndarray:int32\"], \"column_names\": [\"tokens\"], \"column_sizes\": [null], \"compression\": \"zstd\", \"format\": \"mds\", \"hashes\": [], \"size_limit\": 67108864, \"version\": 2}",
            Encoding.ASCII.GetString(MdsIndexJson.ConfigBytes(config)));
        Assert.Equal(183, MdsIndexJson.ConfigBytes(config).Length);

        byte[] frame = MdsCompression.Parse("zstd").Compress(new byte[10000]);
        Assert.Equal([0x28, 0xb5, 0x2f, 0xfd], frame[..4]);
        // Frame_Header_Descriptor: bits 6-7 give the content-size field; 0 without single-segment means absent.
        byte fhd = frame[4];
        Assert.True((fhd >> 6) != 0 || (fhd & 0x20) != 0, "zstd frame lacks Frame_Content_Size; python-zstd cannot read it");
    }

    /// <summary>Both zstd paths (libzstd where it loads, the managed port otherwise) give frames that record their size and decode to the input.</summary>
    [Fact]
    public void Native_and_managed_zstd_frames_both_round_trip_with_their_size()
    {
        var data = new byte[300_000];
        new Random(5).NextBytes(data.AsSpan(0, 100_000));
        using var managed = new ZstdSharp.Compressor(3);
        var frames = new List<byte[]> { managed.Wrap(data).ToArray() };
        if (NativeZstdCompressor.IsAvailable)
        {
            frames.Add(NativeZstdCompressor.Compress(data, 3));
        }
        foreach (var frame in frames)
        {
            Assert.Equal((ulong)data.Length, ZstdSharp.Decompressor.GetDecompressedSize(frame));
            Assert.Equal(data, MdsCompression.Parse("zstd").Decompress(frame));
        }
    }

    [Theory]
    [InlineData("ndarray:int32:4", new[] { 1, 2, 3, 4 }, "01000000020000000300000004000000")]
    [InlineData("ndarray:int32", new[] { 1, 2, 3 }, "0403010000000200000003000000")]
    [InlineData("ndarray", new[] { 7 }, "21040107000000")]
    public void Ndarray_payloads_match_upstream(string encoding, int[] values, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(Encode(encoding, values)));
    }

    [Fact]
    public void Ndarray_shape_bytes_use_the_narrowest_width()
    {
        Assert.Equal("100402", Convert.ToHexStringLower(Encode<ushort>("ndarray", [1, 2]).AsSpan(0, 3)));
        Assert.Equal("0902002c01", Convert.ToHexStringLower(Encode<byte>("ndarray:uint8", new byte[600], [2, 300]).AsSpan(0, 5)));
        Assert.Equal("04ff", Convert.ToHexStringLower(Encode("ndarray:int32", new int[255]).AsSpan(0, 2)));
        Assert.Equal("050001", Convert.ToHexStringLower(Encode("ndarray:int32", new int[256]).AsSpan(0, 3)));
        Assert.Equal("0670110100", Convert.ToHexStringLower(Encode("ndarray:int32", new int[70000]).AsSpan(0, 5)));
        Assert.Equal("050008", Convert.ToHexStringLower(Encode("ndarray:int32", new int[2048]).AsSpan(0, 3)));
    }

    [Fact]
    public void Ndarray_refuses_what_upstream_refuses()
    {
        Assert.Throws<ArgumentException>(() => Encode<int>("ndarray:int32", []));
        Assert.Throws<ArgumentException>(() => Encode<long>("ndarray:int32", [1]));
        Assert.Throws<ArgumentException>(() => Encode<int>("ndarray:int32:3", [1, 2]));
        Assert.Throws<ArgumentException>(() => Encode<int>("ndarray:int32:2,2", [1, 2, 3, 4], [4]));
        Assert.Equal(16, Encode<int>("ndarray:int32:2,2", [1, 2, 3, 4], [2, 2]).Length);
        Assert.Throws<ArgumentException>(() => MdsEncoding.Parse("str:utf8"));
        Assert.Throws<ArgumentException>(() => MdsEncoding.Parse("ndarray:int32:0"));
    }

    private static byte[] Encode<T>(string encoding, T[] values, int[]? shape = null) where T : unmanaged
    {
        var buffer = new ArrayBufferWriter<byte>();
        NdArrayCodec.Encode<T>(buffer, MdsEncoding.Parse(encoding), values, shape ?? []);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Every_scalar_and_json_column_round_trips_with_upstream_sizes()
    {
        var columns = new Dictionary<string, string>
        {
            ["i8"] = "int8", ["i16"] = "int16", ["i32"] = "int32", ["i64"] = "int64", ["int"] = "int",
            ["u8"] = "uint8", ["u16"] = "uint16", ["u32"] = "uint32", ["u64"] = "uint64",
            ["f16"] = "float16", ["f32"] = "float32", ["f64"] = "float64",
            ["s"] = "str", ["b"] = "bytes", ["j"] = "json", ["si"] = "str_int", ["a"] = "ndarray", ["fixed"] = "ndarray:uint16:2,2",
        };
        using var tmp = new TempDir();
        using (var w = new MdsWriter(tmp.Path, columns, new MdsWriterOptions { Compression = "gz:1", Hashes = ["md5", "sha256", "xxh3_64"] }))
        {
            using var json = JsonDocument.Parse("{\"b\": [1, 2.50, 1E2, \"\u00e9\"], \"a\": null}");
            var row = w.NewRow();
            row.SetInt64("i8", -128).SetInt64("i16", -300).SetInt64("i32", int.MinValue).SetInt64("i64", long.MinValue).SetInt64("int", 5)
               .SetInt64("u8", 255).SetInt64("u16", 65535).SetInt64("u32", uint.MaxValue).SetUInt64("u64", ulong.MaxValue)
               .SetDouble("f16", 0.5).SetDouble("f32", 1.25).SetDouble("f64", Math.PI)
               .SetString("s", "h\u00e9").SetBytes("b", [1, 2]).SetJson("j", json.RootElement).SetInt64("si", -42)
               .SetArray<double>("a", [1, 2, 3, 4, 5, 6], [2, 3]).SetArray<ushort>("fixed", [1, 2, 3, 4], [2, 2]);
            w.Write(row);
            Assert.Throws<ArgumentOutOfRangeException>(() => row.SetInt64("u8", 256));
            row.Clear();
            Assert.Throws<ArgumentException>(() => w.Write(row));
            w.Finish();
        }
        var shard = MdsIndex.Load(tmp.Path)[0];
        Assert.Equal("shard.00000.mds.gz", shard.ZipData!.Basename);
        Assert.Equal("a,b,f16,f32,f64,fixed,i16,i32,i64,i8,int,j,s,si,u16,u32,u64,u8", string.Join(",", shard.Config.ColumnNames));
        Assert.Equal([null, null, 2, 4, 8, 8, 2, 4, 8, 1, 8, null, null, null, 2, 4, 8, 1], shard.Config.ColumnSizes);

        using var reader = MdsReader.Open(tmp.Path, new MdsReaderOptions { ValidateHash = "xxh3_64" });
        var s = reader.GetSample(0);
        Assert.Equal(-128, s.GetInt64("i8"));
        Assert.Equal(-300, s.GetInt64("i16"));
        Assert.Equal(int.MinValue, s.GetInt64("i32"));
        Assert.Equal(long.MinValue, s.GetInt64("i64"));
        Assert.Equal(255, s.GetInt64("u8"));
        Assert.Equal(uint.MaxValue, s.GetInt64("u32"));
        Assert.Equal(ulong.MaxValue, s.GetUInt64("u64"));
        Assert.Equal(0.5, s.GetDouble("f16"));
        Assert.Equal(1.25, s.GetDouble("f32"));
        Assert.Equal(Math.PI, s.GetDouble("f64"));
        Assert.Equal("h\u00e9", s.GetString("s"));
        Assert.Equal(-42, s.GetInt64("si"));
        Assert.Equal("{\"b\": [1, 2.5, 100.0, \"\\u00e9\"], \"a\": null}", Encoding.ASCII.GetString(s.GetBytes("j")));
        Assert.Equal(2.5, s.GetJson("j").GetProperty("b")[1].GetDouble());
        var info = s.GetArrayInfo("a");
        Assert.Equal(MdsDType.Float64, info.DType);
        Assert.Equal([2L, 3L], info.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], s.GetArray<double>("a").ToArray());
        Assert.Equal([(ushort)1, 2, 3, 4], s.GetArray<ushort>("fixed").ToArray());
    }

    [Fact]
    public void Python_json_layout_escapes_and_floats()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new PythonJsonWriter(buffer);
        w.BeginObject();
        w.PropertyName("a");
        w.BeginArray();
        foreach (double d in new[] { 1.0, 1e16, 1e-5, 0.0001, 123456789012345678.0, -0.0, double.PositiveInfinity, 1.5e300, 0.1 + 0.2, 1e15, 12345.678 })
        {
            w.Float(d);
        }
        w.EndArray();
        w.PropertyName("\u00e9\u007f");
        w.String("\U0001F600\u2028/\"\\\n\t<&+'");
        w.EndObject();
        // Expected text printed by CPython's json.dumps for the same object.
        Assert.Equal(
            "{\"a\": [1.0, 1e+16, 1e-05, 0.0001, 1.2345678901234568e+17, -0.0, Infinity, 1.5e+300, 0.30000000000000004, 1000000000000000.0, 12345.678], \"\\u00e9\\u007f\": \"\\ud83d\\ude00\\u2028/\\\"\\\\\\n\\t<&+'\"}",
            Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Keys_and_columns_sort_by_code_point_like_python()
    {
        var names = new List<string> { "\uFF21", "\U0001F600", "b", "B" };
        names.Sort(CodePointComparer.Instance);
        Assert.Equal(["B", "b", "\uFF21", "\U0001F600"], names);
    }

    [Theory]
    [InlineData("xxh64", "ef46db3751d8e999")]
    [InlineData("xxh32", "02cc5d05")]
    [InlineData("xxh3_64", "2d06800538d394c2")]
    [InlineData("xxh128", "99aa06d3014798d86001c324468d497f")]
    [InlineData("xxh3_128", "99aa06d3014798d86001c324468d497f")]
    [InlineData("md5", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    public void Hashes_of_empty_input_match_python_hexdigest(string algo, string hex)
    {
        Assert.Equal(hex, MdsHashes.Compute(algo, []));
    }

    [Fact]
    public void Writer_refuses_bad_settings()
    {
        using var tmp = new TempDir();
        var cols = new Dictionary<string, string> { ["x"] = "bytes" };
        Assert.Throws<ArgumentException>(() => new MdsWriter(tmp.File("a"), cols, new MdsWriterOptions { Hashes = ["xxh64", "sha1"] }));
        Assert.Throws<ArgumentException>(() => new MdsWriter(tmp.File("b"), cols, new MdsWriterOptions { Hashes = ["crc32"] }));
        Assert.Throws<NotSupportedException>(() => new MdsWriter(tmp.File("c"), cols, new MdsWriterOptions { Hashes = ["blake2b"] }));
        Assert.Throws<ArgumentException>(() => new MdsWriter(tmp.File("d"), cols, new MdsWriterOptions { Compression = "zstd:23" }));
        Assert.Throws<NotSupportedException>(() => new MdsWriter(tmp.File("e"), cols, new MdsWriterOptions { Compression = "snappy" }));
        Assert.Throws<ArgumentException>(() => new MdsWriter(tmp.File("f"), cols, new MdsWriterOptions { SizeLimit = 1L << 32 }));
    }

    [Theory]
    [InlineData("123", 123L)]
    [InlineData("123b", 123L)]
    [InlineData("100kb", 102400L)]
    [InlineData("1.5KB", 1536L)]
    [InlineData(" 64mb ", 67108864L)]
    [InlineData("0.1kb", 102L)]
    public void Size_limit_strings_parse_like_bytes_to_int(string text, long expected)
    {
        Assert.Equal(expected, MdsSizeLimit.Parse(text));
    }

    [Fact]
    public void Unlimited_size_limit_is_stored_as_null_and_keeps_one_shard()
    {
        using var tmp = new TempDir();
        using var w = new MdsWriter(tmp.Path, new Dictionary<string, string> { ["x"] = "bytes" }, new MdsWriterOptions { SizeLimit = null });
        var row = w.NewRow();
        for (int i = 0; i < 3; i++)
        {
            w.Write(row.SetBytes("x", new byte[100_000]));
        }
        var shards = w.Finish();
        Assert.Single(shards);
        Assert.Contains("\"size_limit\": null", File.ReadAllText(Path.Combine(tmp.Path, "index.json")), StringComparison.Ordinal);
    }
}
