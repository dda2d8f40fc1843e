namespace DataPipeline.Core.Compression;

/// <summary>
/// One-shot zstd through the system's libzstd: <c>ZSTD_compress</c> writes a single frame that
/// records its content size (what python-zstd, and so MosaicML Streaming, requires of an MDS shard).
/// For the libraries that write whole buffers; streams go through <see cref="Codecs.OpenWrite"/>.
/// </summary>
public static unsafe class ZstdFrame
{
    /// <summary>Whether libzstd (1.4 or later) loaded, and DATAPIPE_MANAGED_CODECS=1 does not ask for the managed codecs.</summary>
    public static bool IsNativeAvailable => NativeZstd.IsAvailable;

    /// <summary>The largest frame <paramref name="length"/> bytes can compress to.</summary>
    public static int MaxCompressedLength(int length)
    {
        RequireNative();
        return checked((int)NativeZstd.ZSTD_compressBound((nuint)length));
    }

    /// <summary>Compresses <paramref name="source"/> into <paramref name="destination"/> (at least <see cref="MaxCompressedLength"/> long); returns the frame's length.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        RequireNative();
        nuint written;
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            written = NativeZstd.ZSTD_compress(dst, (nuint)destination.Length, src, (nuint)source.Length, level);
        }
        if (NativeZstd.ZSTD_isError(written) != 0)
        {
            throw new IOException("zstd compression failed: " + NativeZstd.ErrorName(written));
        }
        return (int)written;
    }

    private static void RequireNative()
    {
        if (!NativeZstd.IsAvailable)
        {
            throw new InvalidOperationException("libzstd is not loaded here; check ZstdFrame.IsNativeAvailable and use the managed port");
        }
    }
}
