using System.Buffers.Binary;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Streams one sorted signature or exact-hash run file from the first record whose key's high 64 bits
/// are at least a lower bound, holding only a fixed buffer (whole chunks, not datatrove's 5-record
/// reads that made remote storage issue one request per 340 bytes, huggingface/datatrove PR #497).
/// Keys are 128-bit: a band hash sits in the high half (low half 0), so one merge serves both kinds.
/// </summary>
internal sealed class RunFileReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private readonly long _end;
    private readonly int _recordSize;
    private long _position;
    private int _filled;
    private int _offset;

    public RunFileReader(string path, ulong highMin, int bufferRecords)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        Header = BandFiles.SignatureHeader.Read(_stream, path);
        _recordSize = Header.RecordSize;
        _buffer = new byte[Math.Max(1, bufferRecords) * _recordSize];
        _end = BandFiles.SignatureHeaderSize + Header.Records * _recordSize;
        _position = BandFiles.SignatureHeaderSize + FirstAtLeast(highMin) * _recordSize;
    }

    public string Path { get; }

    public BandFiles.SignatureHeader Header { get; }

    public bool TryRead(out UInt128 key, out uint doc)
    {
        if (_offset == _filled && !Refill())
        {
            key = default;
            doc = 0;
            return false;
        }
        var span = _buffer.AsSpan(_offset, _recordSize);
        ulong high = BinaryPrimitives.ReadUInt64LittleEndian(span);
        if (Header.IsExact)
        {
            key = new UInt128(high, BinaryPrimitives.ReadUInt64LittleEndian(span[8..]));
            doc = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        }
        else
        {
            key = new UInt128(high, 0);
            doc = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        }
        _offset += _recordSize;
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

    /// <summary>Binary search for the first record with key high half ≥ <paramref name="highMin"/> (the files are sorted).</summary>
    private long FirstAtLeast(ulong highMin)
    {
        if (highMin == 0) return 0;
        long lo = 0, hi = Header.Records;
        Span<byte> hash = stackalloc byte[8];
        while (lo < hi)
        {
            long mid = lo + (hi - lo) / 2;
            _stream.Position = BandFiles.SignatureHeaderSize + mid * _recordSize;
            _stream.ReadExactly(hash);
            if (BinaryPrimitives.ReadUInt64LittleEndian(hash) < highMin) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public void Dispose() => _stream.Dispose();
}
