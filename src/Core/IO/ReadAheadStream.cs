using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace DataPipeline.Core.IO;

/// <summary>
/// Reads its inner stream on a thread of its own, a few chunks ahead of the consumer, so that
/// decompression overlaps with whatever the consumer does with the bytes (parsing, hashing).
/// The consumer sees exactly the inner stream's bytes in order; an exception the inner stream throws
/// (a truncated or corrupt file) is thrown to the consumer after every byte read before it, with its
/// type and stack kept. Not seekable.
/// </summary>
public sealed class ReadAheadStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly BlockingCollection<Chunk> _filled;
    private readonly BlockingCollection<byte[]> _free;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Chunk _current;
    private int _position;
    private bool _ended;
    private ExceptionDispatchInfo? _error;
    private bool _disposed;

    /// <param name="inner">The stream to read, typically a decompressor.</param>
    /// <param name="chunkSize">Bytes per read of the inner stream.</param>
    /// <param name="depth">Chunks read ahead at most (memory: depth + 1 chunks).</param>
    /// <param name="leaveOpen">Leave the inner stream open when this one is disposed.</param>
    public ReadAheadStream(Stream inner, int chunkSize = 1 << 20, int depth = 3, bool leaveOpen = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _filled = new BlockingCollection<Chunk>(depth);
        _free = new BlockingCollection<byte[]>(depth + 1);
        for (int i = 0; i < depth + 1; i++) _free.Add(GC.AllocateUninitializedArray<byte>(chunkSize));
        _thread = new Thread(Fill) { IsBackground = true, Name = "datapipe read-ahead" };
        _thread.Start();
    }

    /// <summary>Wraps <paramref name="inner"/> when <see cref="IoThreads.Enabled"/>, else returns it.</summary>
    public static Stream Wrap(Stream inner) => IoThreads.Enabled ? new ReadAheadStream(inner) : inner;

    private readonly record struct Chunk(byte[] Buffer, int Length, ExceptionDispatchInfo? Error);

    private void Fill()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                var buffer = _free.Take(token);
                int n;
                try
                {
                    n = _inner.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    _filled.Add(new Chunk(buffer, 0, ExceptionDispatchInfo.Capture(e)), token);
                    return;
                }
                _filled.Add(new Chunk(buffer, n, null), token);
                if (n < buffer.Length) return; // end of stream (ReadAtLeast fills the buffer until then)
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // disposed before the end
        }
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        while (_current.Buffer is null || _position == _current.Length)
        {
            _error?.Throw();
            if (_ended) return 0;
            if (_current.Buffer is not null)
            {
                _free.Add(_current.Buffer);
                _current = default;
            }
            var next = _filled.Take();
            if (next.Error is not null)
            {
                _free.Add(next.Buffer);
                _error = next.Error;
                _error.Throw();
            }
            _current = next;
            _position = 0;
            if (next.Length < next.Buffer.Length) _ended = true; // the last chunk, possibly empty
        }
        int n = Math.Min(buffer.Length, _current.Length - _position);
        _current.Buffer.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _stop.Cancel();
            _thread.Join();
            if (!_leaveOpen) _inner.Dispose();
            _filled.Dispose();
            _free.Dispose();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
