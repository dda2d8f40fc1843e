namespace DataPipeline.Core.Compression;

/// <summary>Read-only, forward-only stream plumbing shared by the decompressors.</summary>
public abstract class DecompressStreamBase : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public abstract override int Read(Span<byte> buffer);
}

/// <summary>ZstdSharp's decoder, where the native library is missing; it already reports truncation.</summary>
internal sealed class ManagedZstdDecompressStream(Stream compressed) : DecompressStreamBase
{
    private readonly ZstdSharp.DecompressionStream _inner = new(compressed, bufferSize: 1 << 17);

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new CompressedStreamException("zstd stream ends before its frame is complete (" + e.Message + ")", truncated: true);
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new CompressedStreamException("corrupt zstd data: " + e.Message, truncated: false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
