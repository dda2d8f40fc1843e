using System.Buffers;
using System.Buffers.Binary;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Collects encoded samples for one shard and lays out the raw shard file
/// (<c>MDSWriter.encode_joint_shard</c>): u32 count, u32 absolute offsets (count + 1 of them, the
/// last being the file length), the config JSON, then the samples back to back. Its buffers come
/// from the shared array pool and go back to it, so a process that writes shard after shard (a
/// worker running task after task) reuses the same few large arrays instead of growing fresh ones.
/// </summary>
internal sealed class MdsShardBuilder : IDisposable
{
    private readonly byte[] _config;
    private readonly List<int> _sizes = [];
    private byte[] _data = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _length;

    public MdsShardBuilder(byte[] config) => _config = config;

    public int Count => _sizes.Count;

    /// <summary>What an empty shard costs before any sample: count, the final offset, and the config.</summary>
    public long EmptyShardBytes => 8 + _config.Length;

    public void Add(MdsRow row, int encodedLength)
    {
        if (_data.Length - _length < encodedLength)
        {
            Grow(encodedLength);
        }
        row.EncodeTo(_data.AsSpan(_length, encodedLength));
        _length += encodedLength;
        _sizes.Add(encodedLength);
    }

    private void Grow(int extra)
    {
        long wanted = Math.Max((long)_data.Length * 2, (long)_length + extra);
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
        _data.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_data);
        _data = bigger;
    }

    /// <summary>The raw shard file, in a pooled buffer the caller disposes.</summary>
    public PooledBytes BuildRaw()
    {
        int n = _sizes.Count;
        long header = 4L + 4L * (n + 1) + _config.Length;
        long total = header + _length;
        // Offsets are u32. Upstream would silently wrap; a shard that no reader can parse is worse than an error.
        if (total > uint.MaxValue || total > Array.MaxLength)
        {
            throw new InvalidOperationException($"An MDS shard cannot exceed 4 GiB (offsets are u32); this one would be {total} bytes.");
        }
        var raw = PooledBytes.Rent((int)total);
        var span = raw.Span;
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)n);
        uint offset = (uint)header;
        for (int k = 0; k < n; k++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + 4 * k)..], offset);
            offset += (uint)_sizes[k];
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + 4 * n)..], offset);
        _config.CopyTo(span[(8 + 4 * n)..]);
        _data.AsSpan(0, _length).CopyTo(span[(int)header..]);
        return raw;
    }

    public void Reset()
    {
        _length = 0;
        _sizes.Clear();
    }

    public void Dispose()
    {
        if (_data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_data);
            _data = [];
            _length = 0;
        }
    }
}

/// <summary>Bytes in an array from the shared pool (or a plain array), returned to the pool on dispose.</summary>
internal readonly struct PooledBytes : IDisposable
{
    private readonly byte[] _array;
    private readonly bool _pooled;

    private PooledBytes(byte[] array, int length, bool pooled)
    {
        _array = array;
        Length = length;
        _pooled = pooled;
    }

    public int Length { get; }

    public Span<byte> Span => _array.AsSpan(0, Length);

    public static PooledBytes Rent(int length) => new(ArrayPool<byte>.Shared.Rent(length), length, pooled: true);

    /// <summary>A pooled array of which only the first <paramref name="length"/> bytes are the content.</summary>
    public PooledBytes Slice(int length) => new(_array, length, _pooled);

    public static PooledBytes Wrap(byte[] array) => new(array, array.Length, pooled: false);

    public void Dispose()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }
    }
}
