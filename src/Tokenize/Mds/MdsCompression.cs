using System.IO.Compression;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// A shard compression setting (<c>streaming/base/compression.py</c>). The whole shard is one unit.
/// The name is kept exactly as given (<c>"zstd"</c> stays <c>"zstd"</c> in index.json); the file
/// extension is the family alone.
/// </summary>
public sealed class MdsCompression
{
    private MdsCompression(string name, string family, int level)
    {
        Name = name;
        Family = family;
        Level = level;
    }

    /// <summary>The string as stored in index.json.</summary>
    public string Name { get; }

    /// <summary><c>zstd</c>, <c>br</c>, <c>gz</c>, <c>bz2</c> or <c>snappy</c>; also the file extension.</summary>
    public string Family { get; }

    public int Level { get; }

    /// <summary>Parses any of upstream's 58 names; bz2 and snappy parse but cannot be written or read here.</summary>
    public static MdsCompression Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int colon = name.IndexOf(':', StringComparison.Ordinal);
        string family = colon < 0 ? name : name[..colon];
        (int min, int max, int dflt) = family switch
        {
            "zstd" => (1, 22, 3),
            "br" => (0, 11, 11),
            "gz" => (0, 9, 9),
            "bz2" => (1, 9, 9),
            "snappy" => (-1, -1, -1),
            _ => throw new ArgumentException($"Unknown MDS compression '{name}'; families are br, bz2, gz, snappy, zstd."),
        };
        int level = dflt;
        if (colon >= 0)
        {
            // Upstream matches exact strings, so "zstd:03" or "snappy:1" are not valid.
            string text = name[(colon + 1)..];
            if (min < 0 || !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out level)
                || level < min || level > max || level.ToString(System.Globalization.CultureInfo.InvariantCulture) != text)
            {
                throw new ArgumentException($"Invalid MDS compression '{name}'.");
            }
        }
        return new MdsCompression(name, family, level);
    }

    public void EnsureSupported()
    {
        if (Family is "bz2" or "snappy")
        {
            throw new NotSupportedException($"MDS compression '{Name}' is valid upstream but not implemented here (no {Family} codec in .NET).");
        }
    }

    /// <summary>
    /// Compresses a whole shard. zstd must be one frame that records the content size: python-zstd
    /// refuses anything else, so this uses the one-shot API, never a stream (libzstd's where it
    /// loads, else the managed port).
    /// </summary>
    public byte[] Compress(ReadOnlySpan<byte> data)
    {
        EnsureSupported();
        switch (Family)
        {
            case "zstd":
            {
                if (NativeZstdCompressor.IsAvailable)
                {
                    return NativeZstdCompressor.Compress(data, Level);
                }
                using var compressor = new ZstdSharp.Compressor(Level);
                return compressor.Wrap(data).ToArray();
            }
            case "br":
            {
                var dest = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
                // lgwin 22 is python brotli's default.
                if (!BrotliEncoder.TryCompress(data, dest, out int written, Level, 22))
                {
                    throw new InvalidOperationException("Brotli compression failed.");
                }
                return dest[..written];
            }
            default:
            {
                using var ms = new MemoryStream();
                using (var gz = new GZipStream(ms, new ZLibCompressionOptions { CompressionLevel = Level }, leaveOpen: true))
                {
                    gz.Write(data);
                }
                return ms.ToArray();
            }
        }
    }

    /// <summary><see cref="Compress"/> into a pooled buffer where it can (libzstd), which the caller disposes.</summary>
    internal PooledBytes CompressPooled(ReadOnlySpan<byte> data)
    {
        EnsureSupported();
        return Family == "zstd" && NativeZstdCompressor.IsAvailable
            ? NativeZstdCompressor.CompressPooled(data, Level)
            : PooledBytes.Wrap(Compress(data));
    }

    public byte[] Decompress(ReadOnlySpan<byte> data)
    {
        EnsureSupported();
        switch (Family)
        {
            case "zstd":
            {
                using var decompressor = new ZstdSharp.Decompressor();
                return decompressor.Unwrap(data).ToArray();
            }
            default:
            {
                using var input = new MemoryStream(data.ToArray());
                using Stream codec = Family == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
                using var output = new MemoryStream();
                codec.CopyTo(output);
                return output.ToArray();
            }
        }
    }
}
