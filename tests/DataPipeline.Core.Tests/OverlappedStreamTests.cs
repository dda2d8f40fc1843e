using DataPipeline.Core.Compression;
using DataPipeline.Core.IO;

namespace DataPipeline.Core.Tests;

/// <summary>Read-ahead and write-behind streams: the same bytes in the same order, and the inner stream's errors where they belong.</summary>
public class OverlappedStreamTests
{
    private static byte[] Data(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(0, 7)]
    [InlineData(1, 7)]
    [InlineData(7 * 3, 7)] // exactly three chunks: the end is an empty chunk
    [InlineData(100_003, 1000)]
    [InlineData(5_000_000, 1 << 20)]
    public void Read_ahead_delivers_exactly_the_inner_bytes_whatever_the_read_sizes(int length, int chunk)
    {
        var data = Data(length, length);
        foreach (int readSize in new[] { 1, 3, 4096, 1 << 21 })
        {
            using var s = new ReadAheadStream(new MemoryStream(data), chunk, depth: 2);
            var result = new MemoryStream();
            var buffer = new byte[readSize];
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0) result.Write(buffer, 0, n);
            Assert.Equal(data, result.ToArray());
            Assert.Equal(0, s.Read(buffer, 0, buffer.Length)); // stays at the end
        }
    }

    [Fact]
    public void A_truncated_zstd_file_read_ahead_gives_all_data_before_the_cut_then_the_same_error()
    {
        var data = Data(3_000_000, 1);
        var compressed = new MemoryStream();
        using (var z = Codecs.OpenWrite(compressed, Codec.Zstd, 1, leaveOpen: true)) z.Write(data);
        var cut = compressed.ToArray()[..(int)(compressed.Length * 2 / 3)];

        static (long Read, Exception? Error) Drain(Stream s)
        {
            long total = 0;
            var buffer = new byte[65536];
            try
            {
                int n;
                while ((n = s.Read(buffer, 0, buffer.Length)) > 0) total += n;
                return (total, null);
            }
            catch (IOException e)
            {
                return (total, e);
            }
        }
        var direct = Drain(Codecs.OpenRead(new MemoryStream(cut), Codec.Zstd));
        using var ahead = new ReadAheadStream(Codecs.OpenRead(new MemoryStream(cut), Codec.Zstd), 1 << 16, 3);
        var overlapped = Drain(ahead);
        Assert.NotNull(direct.Error);
        Assert.Equal(direct.Read, overlapped.Read);
        var error = Assert.IsType<CompressedStreamException>(overlapped.Error);
        Assert.True(error.Truncated);
        Assert.Equal(direct.Error!.Message, error.Message);
        // And again on the next call: the stream does not pretend to have ended cleanly.
        Assert.Throws<CompressedStreamException>(() => ahead.Read(new byte[10], 0, 10));
    }

    [Fact]
    public void Disposing_a_read_ahead_stream_before_its_end_stops_its_thread_and_disposes_the_inner_stream()
    {
        var inner = new TrackingStream(new MemoryStream(Data(10_000_000, 2)));
        var s = new ReadAheadStream(inner, 1 << 16, 2);
        Assert.Equal(100, s.Read(new byte[100], 0, 100));
        s.Dispose();
        Assert.True(inner.Disposed);
        Assert.Throws<ObjectDisposedException>(() => s.Read(new byte[1], 0, 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(999_999)]
    [InlineData(4_000_000)]
    public void Write_behind_passes_every_byte_in_order_and_flush_waits_for_them(int length)
    {
        var data = Data(length, 3);
        var sink = new TrackingStream(new MemoryStream());
        var s = new WriteBehindStream(sink, chunkSize: 1000, depth: 2, leaveOpen: true);
        var rng = new Random(4);
        int at = 0;
        while (at < data.Length)
        {
            int n = Math.Min(data.Length - at, rng.Next(1, 5000));
            s.Write(data, at, n);
            at += n;
            if (rng.Next(50) == 0)
            {
                s.Flush();
                Assert.Equal(at, sink.Inner.Length);
            }
        }
        s.Flush();
        Assert.Equal(data, ((MemoryStream)sink.Inner).ToArray());
        s.Dispose();
        Assert.False(sink.Disposed);
    }

    [Fact]
    public void Compressed_output_written_behind_is_byte_identical_to_writing_directly()
    {
        var data = Data(2_500_000, 5);
        for (int i = 0; i < data.Length; i += 3) data[i] = (byte)'a'; // compressible
        var direct = new MemoryStream();
        using (var z = Codecs.OpenWrite(direct, Codec.Zstd, 1, leaveOpen: true))
        {
            for (int i = 0; i < data.Length; i += 1 << 20) z.Write(data, i, Math.Min(1 << 20, data.Length - i));
        }
        var behind = new MemoryStream();
        using (var z = new WriteBehindStream(Codecs.OpenWrite(behind, Codec.Zstd, 1, leaveOpen: true)))
        {
            for (int i = 0; i < data.Length; i += 1 << 20) z.Write(data, i, Math.Min(1 << 20, data.Length - i));
        }
        Assert.Equal(direct.ToArray(), behind.ToArray());
    }

    [Fact]
    public void An_inner_write_error_is_thrown_by_a_later_call_and_by_dispose()
    {
        var s = new WriteBehindStream(new FailingStream(), chunkSize: 10, depth: 1);
        var e = Record.Exception(() =>
        {
            for (int i = 0; i < 100; i++) s.Write(new byte[10], 0, 10);
            s.Flush();
        });
        Assert.IsType<IOException>(e);
        Assert.Equal("disk full", e.Message);
        Assert.Throws<IOException>(s.Dispose);
    }

    private sealed class TrackingStream(Stream inner) : Stream
    {
        public Stream Inner { get; } = inner;
        public bool Disposed { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Inner.Length;
        public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => Inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => 0;
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");
    }
}

/// <summary>Prefetch.Ahead: the same items in the same order, the source's error after its items, and a stopped consumer stops the source.</summary>
public class PrefetchTests
{
    private sealed class Source(int count, int failAt = -1) : IEnumerable<int>
    {
        public bool Disposed { get; private set; }
        public int Produced { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            try
            {
                for (int i = 0; i < count; i++)
                {
                    if (i == failAt) throw new InvalidDataException($"bad record {i}");
                    Produced++;
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    public void Items_arrive_in_order_and_the_source_is_disposed(int count)
    {
        var source = new Source(count);
        Assert.Equal(Enumerable.Range(0, count), Prefetch.Ahead(source, i => 100, batchWeight: 1000, depth: 2).ToList());
        Assert.True(source.Disposed);
    }

    [Fact]
    public void An_error_of_the_source_comes_after_every_item_before_it()
    {
        var seen = new List<int>();
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var i in Prefetch.Ahead(new Source(10_000, failAt: 4321), i => 1, batchWeight: 100)) seen.Add(i);
        });
        Assert.Equal("bad record 4321", e.Message);
        Assert.Equal(Enumerable.Range(0, 4321), seen);
    }

    [Fact]
    public void A_consumer_that_stops_early_stops_the_producer_and_the_source_is_disposed_first()
    {
        var source = new Source(1_000_000);
        Assert.Equal(Enumerable.Range(0, 10), Prefetch.Ahead(source, i => 1, batchWeight: 50, depth: 2).Take(10));
        Assert.True(source.Disposed);
        Assert.True(source.Produced < 1_000, $"the producer ran {source.Produced} items ahead");
    }
}
