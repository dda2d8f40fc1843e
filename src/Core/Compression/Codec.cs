namespace DataPipeline.Core.Compression;

/// <summary>The compression of a file, chosen by its name and checked against its first bytes.</summary>
public enum Codec
{
    None,
    Gzip,
    Zstd,
}

public static class Codecs
{
    /// <summary>The codec a file name implies: <c>.gz</c> and <c>.zst</c>/<c>.zstd</c>, else none.</summary>
    public static Codec FromFileName(string path)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".gzip", StringComparison.OrdinalIgnoreCase))
        {
            return Codec.Gzip;
        }
        if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".zstd", StringComparison.OrdinalIgnoreCase))
        {
            return Codec.Zstd;
        }
        return Codec.None;
    }

    /// <summary>The file name without its compression suffix (<c>a.jsonl.zst</c> → <c>a.jsonl</c>).</summary>
    public static string StripCompressionSuffix(string path)
    {
        foreach (var suffix in (string[])[".gz", ".gzip", ".zst", ".zstd"])
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^suffix.Length];
            }
        }
        return path;
    }

    public static string Extension(Codec codec) => codec switch
    {
        Codec.Gzip => ".gz",
        Codec.Zstd => ".zst",
        _ => "",
    };

    /// <summary>
    /// True when <paramref name="head"/> starts with the codec's magic number. A file whose name promises
    /// a codec but whose bytes do not match is refused up front, so the user sees "not a gzip file"
    /// instead of a decoder's generic complaint.
    /// </summary>
    public static bool HasMagic(Codec codec, ReadOnlySpan<byte> head) => codec switch
    {
        Codec.Gzip => head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b,
        Codec.Zstd => head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd,
        _ => true,
    };

    /// <summary>Wraps <paramref name="compressed"/> in a decompressing stream that reports truncation as an error.</summary>
    public static Stream OpenRead(Stream compressed, Codec codec) => codec switch
    {
        Codec.Gzip => NativeZlib.IsAvailable ? new GzipDecompressStream(compressed) : new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress),
        Codec.Zstd => NativeZstd.IsAvailable ? new ZstdDecompressStream(compressed) : new ManagedZstdDecompressStream(compressed),
        _ => compressed,
    };

    /// <summary>
    /// A compressing stream; output is deterministic for the same input and level (and, for zstd, the
    /// same system libzstd: its bytes differ from the managed port's, which is used where it is missing).
    /// </summary>
    public static Stream OpenWrite(Stream output, Codec codec, int level = 0, bool leaveOpen = false) => codec switch
    {
        Codec.Gzip => new System.IO.Compression.GZipStream(output, level is >= 1 and <= 3 ? System.IO.Compression.CompressionLevel.Fastest : System.IO.Compression.CompressionLevel.Optimal, leaveOpen),
        Codec.Zstd => NativeZstd.IsAvailable
            ? new ZstdCompressStream(output, level == 0 ? 3 : level, leaveOpen)
            : new ZstdSharp.CompressionStream(output, level == 0 ? 3 : level, leaveOpen: leaveOpen),
        _ => output,
    };
}

/// <summary>Thrown by the decompressing streams: the data ended early or is not valid for the codec.</summary>
public sealed class CompressedStreamException : IOException
{
    public CompressedStreamException(string message, bool truncated) : base(message) => Truncated = truncated;

    public CompressedStreamException() { }

    public CompressedStreamException(string message) : base(message) { }

    public CompressedStreamException(string message, Exception inner) : base(message, inner) { }

    public bool Truncated { get; }
}
