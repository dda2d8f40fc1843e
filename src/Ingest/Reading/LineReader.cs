namespace DataPipeline.Ingest.Reading;

/// <summary>
/// Splits a byte stream into lines without decoding them. The returned line is a view into an
/// internal buffer, valid until the next call; the buffer grows to hold the longest line, so one
/// 100 MB document is fine, and shrinks back afterwards.
/// </summary>
internal sealed class LineReader
{
    private const int ChunkSize = 1 << 17;
    private readonly Stream _stream;
    private byte[] _buffer = GC.AllocateUninitializedArray<byte>(ChunkSize * 2);
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(Stream stream, long firstLineNumber = 1, long startOffset = 0)
    {
        _stream = stream;
        LineNumber = firstLineNumber - 1;
        NextLineOffset = startOffset;
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Uncompressed byte offset where the line last returned started.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Uncompressed byte offset of the next line.</summary>
    public long NextLineOffset { get; private set; }

    /// <summary>Set when the last line returned had no newline at its end.</summary>
    public bool LastLineUnterminated { get; private set; }

    /// <summary>Reads the next line, without its <c>\n</c> (and without a <c>\r</c> before it).</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        int searchFrom = _start;
        while (true)
        {
            int nl = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                int lineEnd = searchFrom + nl;
                line = Trim(_buffer.AsSpan(_start, lineEnd - _start));
                Advance(lineEnd + 1 - _start);
                LastLineUnterminated = false;
                return true;
            }
            if (_eof)
            {
                if (_end > _start)
                {
                    line = Trim(_buffer.AsSpan(_start, _end - _start));
                    Advance(_end - _start);
                    LastLineUnterminated = true;
                    return true;
                }
                line = default;
                return false;
            }
            searchFrom = _end;
            Fill();
            searchFrom -= _consumedShift;
        }
    }

    private int _consumedShift;

    private void Advance(int length)
    {
        LineNumber++;
        LineOffset = NextLineOffset;
        NextLineOffset += length;
        _start += length;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private void Fill()
    {
        // Move the partial line to the front, grow if it fills the buffer, then read more.
        _consumedShift = _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < ChunkSize)
        {
            int newSize = Math.Max(_buffer.Length * 2, _end + ChunkSize);
            var bigger = GC.AllocateUninitializedArray<byte>(newSize);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            _buffer = bigger;
        }
        else if (_end < ChunkSize && _buffer.Length > ChunkSize * 8)
        {
            // A huge line has passed: give its memory back.
            var smaller = GC.AllocateUninitializedArray<byte>(ChunkSize * 2);
            Buffer.BlockCopy(_buffer, 0, smaller, 0, _end);
            _buffer = smaller;
        }
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }
        _end += n;
    }
}
