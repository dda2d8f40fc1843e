using DataPipeline.Core.Compression;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// One-shot zstd compression of a shard through the system's libzstd (<see cref="ZstdFrame"/>), about
/// three times the managed port's speed: in the tokenize step, compressing a shard with ZstdSharp
/// took a fifth of the time the tokenizer did. Unavailable where libzstd (1.4 or later) cannot be
/// loaded, or where DATAPIPE_MANAGED_CODECS=1 asks for the managed codecs; callers then use ZstdSharp.
/// </summary>
internal static class NativeZstdCompressor
{
    public static bool IsAvailable => ZstdFrame.IsNativeAvailable;

    public static byte[] Compress(ReadOnlySpan<byte> data, int level)
    {
        using var pooled = CompressPooled(data, level);
        return pooled.Span.ToArray();
    }

    /// <summary>The frame in a pooled buffer the caller disposes.</summary>
    public static PooledBytes CompressPooled(ReadOnlySpan<byte> data, int level)
    {
        var output = PooledBytes.Rent(ZstdFrame.MaxCompressedLength(data.Length));
        try
        {
            return output.Slice(ZstdFrame.Compress(data, output.Span, level));
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }
}
