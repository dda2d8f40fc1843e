using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace DataPipeline.Core.IO;

/// <summary>
/// Hands what is written to a thread of its own that writes it to the inner stream, so that
/// compression overlaps with whatever produces the bytes. The inner stream receives exactly the bytes
/// written, in order, from one thread at a time; <see cref="Flush"/> returns once they have all reached
/// it (and it has been flushed), and disposing writes the rest and then disposes it on the caller's
/// thread (so a compressor ends its frame there). An exception of the inner stream is thrown by the
/// next call.
/// </summary>
public sealed class WriteBehindStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly int _chunkSize;
    private readonly BlockingCollection<Job> _queue;
    private readonly BlockingCollection<byte[]> _free;
    private readonly Thread _thread;
    private byte[] _current;
    private int _used;
    private volatile ExceptionDispatchInfo? _error;
    private bool _disposed;

    public WriteBehindStream(Stream inner, int chunkSize = 1 << 20, int depth = 2, bool leaveOpen = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _chunkSize = chunkSize;
        _queue = new BlockingCollection<Job>(depth);
        _free = new BlockingCollection<byte[]>(depth + 1);
        for (int i = 0; i < depth; i++) _free.Add(GC.AllocateUninitializedArray<byte>(chunkSize));
        _current = GC.AllocateUninitializedArray<byte>(chunkSize);
        _thread = new Thread(Drain) { IsBackground = true, Name = "datapipe write-behind" };
        _thread.Start();
    }

    /// <summary>Wraps <paramref name="inner"/> when <see cref="IoThreads.Enabled"/>, else returns it.</summary>
    public static Stream Wrap(Stream inner, bool leaveOpen = false) => IoThreads.Enabled ? new WriteBehindStream(inner, leaveOpen: leaveOpen) : inner;

    /// <summary>A chunk to write, or (Buffer null) a request to flush the inner stream and signal.</summary>
    private readonly record struct Job(byte[]? Buffer, int Length, ManualResetEventSlim? Done);

    private void Drain()
    {
        foreach (var job in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_error is null)
                {
                    if (job.Buffer is not null) _inner.Write(job.Buffer, 0, job.Length);
                    else _inner.Flush();
                }
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                if (job.Buffer is not null) _free.Add(job.Buffer);
                job.Done?.Set();
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _error?.Throw();
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _chunkSize - _used);
            buffer[..n].CopyTo(_current.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == _chunkSize) Hand();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    private void Hand()
    {
        if (_used == 0) return;
        _queue.Add(new Job(_current, _used, null));
        _current = _free.Take();
        _used = 0;
    }

    /// <summary>Waits until everything written has reached the inner stream, and flushes it.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Hand();
        using var done = new ManualResetEventSlim();
        _queue.Add(new Job(null, 0, done));
        done.Wait();
        _error?.Throw();
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            try
            {
                if (_error is null) Hand();
            }
            finally
            {
                _queue.CompleteAdding();
                _thread.Join();
                _queue.Dispose();
                _free.Dispose();
            }
            try
            {
                _error?.Throw();
            }
            finally
            {
                if (!_leaveOpen) _inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
