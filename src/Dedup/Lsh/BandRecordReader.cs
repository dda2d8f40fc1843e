using System.Buffers.Binary;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Streams one sorted band signature file from the first record whose hash is at least a lower bound,
/// holding only a fixed buffer (whole chunks, not datatrove's 5-record reads that made remote
/// storage issue one request per 340 bytes, huggingface/datatrove PR #497).
/// </summary>
internal sealed class BandRecordReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private readonly long _end;
    private long _position;
    private int _filled;
    private int _offset;

    public BandRecordReader(string path, ulong hashMin, int bufferRecords)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        Header = BandFiles.SignatureHeader.Read(_stream, path);
        _buffer = new byte[Math.Max(1, bufferRecords) * BandFiles.SignatureRecordSize];
        _end = BandFiles.SignatureHeaderSize + Header.Records * BandFiles.SignatureRecordSize;
        _position = BandFiles.SignatureHeaderSize + FirstAtLeast(hashMin) * BandFiles.SignatureRecordSize;
    }

    public BandFiles.SignatureHeader Header { get; }

    public bool TryRead(out BandRecord record)
    {
        if (_offset == _filled && !Refill())
        {
            record = default;
            return false;
        }
        var span = _buffer.AsSpan(_offset, BandFiles.SignatureRecordSize);
        record = new BandRecord(BinaryPrimitives.ReadUInt64LittleEndian(span), BinaryPrimitives.ReadUInt32LittleEndian(span[8..]));
        _offset += BandFiles.SignatureRecordSize;
        return true;
    }

    private bool Refill()
    {
        int want = (int)Math.Min(_buffer.Length, _end - _position);
        if (want <= 0) return false;
        _stream.Position = _position;
        _stream.ReadExactly(_buffer, 0, want);
        _position += want;
        _filled = want;
        _offset = 0;
        return true;
    }

    /// <summary>Binary search for the first record with hash ≥ <paramref name="hashMin"/> (the files are sorted).</summary>
    private long FirstAtLeast(ulong hashMin)
    {
        if (hashMin == 0) return 0;
        long lo = 0, hi = Header.Records;
        Span<byte> hash = stackalloc byte[8];
        while (lo < hi)
        {
            long mid = lo + (hi - lo) / 2;
            _stream.Position = BandFiles.SignatureHeaderSize + mid * BandFiles.SignatureRecordSize;
            _stream.ReadExactly(hash);
            if (BinaryPrimitives.ReadUInt64LittleEndian(hash) < hashMin) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public void Dispose() => _stream.Dispose();
}
