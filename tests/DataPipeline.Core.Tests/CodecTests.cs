using System.IO.Compression;
using System.Text;
using DataPipeline.Core.Compression;

namespace DataPipeline.Core.Tests;

public class CodecTests
{
    private static byte[] Text(int lines) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, lines).Select(i => $"{{\"id\":{i},\"text\":\"line {i} {new string('x', i % 50)}\"}}\n")));

    private static byte[] Compress(byte[] data, Codec codec)
    {
        var ms = new MemoryStream();
        using (var s = Codecs.OpenWrite(ms, codec))
        {
            s.Write(data);
        }
        return ms.ToArray();
    }

    private static byte[] Decompress(byte[] data, Codec codec)
    {
        using var s = Codecs.OpenRead(new MemoryStream(data), codec);
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(Codec.Gzip)]
    [InlineData(Codec.Zstd)]
    public void Round_trip(Codec codec)
    {
        var data = Text(20_000);
        Assert.Equal(data, Decompress(Compress(data, codec), codec));
    }

    [Theory]
    [InlineData(Codec.Gzip)]
    [InlineData(Codec.Zstd)]
    public void Truncated_stream_is_an_error_not_a_short_file(Codec codec)
    {
        var compressed = Compress(Text(20_000), codec);
        var cut = compressed[..(compressed.Length / 2)];
        var e = Assert.Throws<CompressedStreamException>(() => Decompress(cut, codec));
        Assert.True(e.Truncated, e.Message);
    }

    [Theory]
    [InlineData(Codec.Gzip)]
    [InlineData(Codec.Zstd)]
    public void Stream_cut_just_before_its_end_is_an_error(Codec codec)
    {
        var compressed = Compress(Text(1000), codec);
        Assert.Throws<CompressedStreamException>(() => Decompress(compressed[..^3], codec));
    }

    [Theory]
    [InlineData(Codec.Gzip)]
    [InlineData(Codec.Zstd)]
    public void Corrupt_bytes_are_an_error(Codec codec)
    {
        var compressed = Compress(Text(20_000), codec);
        for (int i = 64; i < compressed.Length - 64; i += 97)
        {
            compressed[i] ^= 0x5a;
        }
        Assert.Throws<CompressedStreamException>(() => Decompress(compressed, codec));
    }

    [Theory]
    [InlineData(Codec.Gzip)]
    [InlineData(Codec.Zstd)]
    public void Concatenated_members_or_frames_are_read_whole(Codec codec)
    {
        var a = Text(100);
        var b = Encoding.UTF8.GetBytes("{\"id\":\"tail\",\"text\":\"second member\"}\n");
        var both = Compress(a, codec).Concat(Compress(b, codec)).ToArray();
        Assert.Equal(a.Concat(b).ToArray(), Decompress(both, codec));
    }

    [Fact]
    public void Gzip_written_by_dotnet_is_read()
    {
        var data = Text(500);
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gz.Write(data);
        }
        Assert.Equal(data, Decompress(ms.ToArray(), Codec.Gzip));
    }

    [Theory]
    [InlineData("a.jsonl.gz", Codec.Gzip)]
    [InlineData("a.jsonl.zst", Codec.Zstd)]
    [InlineData("a.jsonl.zstd", Codec.Zstd)]
    [InlineData("a.jsonl", Codec.None)]
    public void Codec_from_name(string name, Codec expected) => Assert.Equal(expected, Codecs.FromFileName(name));

    [Fact]
    public void Magic_numbers()
    {
        Assert.True(Codecs.HasMagic(Codec.Gzip, [0x1f, 0x8b, 8, 0]));
        Assert.False(Codecs.HasMagic(Codec.Gzip, "{\"a\""u8));
        Assert.True(Codecs.HasMagic(Codec.Zstd, [0x28, 0xb5, 0x2f, 0xfd]));
        Assert.False(Codecs.HasMagic(Codec.Zstd, [0x1f, 0x8b, 8, 0]));
    }

    /// <summary>
    /// Our zstd writer (the system libzstd where it loads) must write frames any zstd decoder reads
    /// whole: the managed port's decoder and ours, for empty, tiny, text and incompressible input
    /// written in uneven pieces with a block flush in the middle, as JsonlWriter does.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    [InlineData(3_000_000)]
    public void Zstd_frames_written_in_pieces_decode_whole_with_either_decoder(int size)
    {
        var random = new Random(size);
        var data = new byte[size];
        for (int i = 0; i < size; i++)
        {
            data[i] = i % 3 == 0 ? (byte)random.Next(256) : (byte)('a' + i % 17);
        }
        var ms = new MemoryStream();
        using (var s = Codecs.OpenWrite(ms, Codec.Zstd, leaveOpen: true))
        {
            if (System.Runtime.InteropServices.NativeLibrary.TryLoad("libzstd.so.1", out _) && Environment.GetEnvironmentVariable("DATAPIPE_MANAGED_CODECS") != "1")
            {
                Assert.IsNotType<ZstdSharp.CompressionStream>(s);
            }
            int at = 0;
            while (at < size)
            {
                int n = Math.Min(size - at, 1 + random.Next(300_000));
                s.Write(data, at, n);
                at += n;
                if (at > size / 2 && at - n <= size / 2)
                {
                    s.Flush();
                }
            }
        }
        var compressed = ms.ToArray();
        Assert.True(Codecs.HasMagic(Codec.Zstd, compressed));
        Assert.Equal(data, Decompress(compressed, Codec.Zstd));
        using var managed = new ZstdSharp.DecompressionStream(new MemoryStream(compressed));
        var copy = new MemoryStream();
        managed.CopyTo(copy);
        Assert.Equal(data, copy.ToArray());
    }
}
