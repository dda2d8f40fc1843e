using System.Buffers;
using System.Buffers.Binary;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Collects encoded samples for one shard and lays out the raw shard file
/// (<c>MDSWriter.encode_joint_shard</c>): u32 count, u32 absolute offsets (count + 1 of them, the
/// last being the file length), the config JSON, then the samples back to back.
/// </summary>
internal sealed class MdsShardBuilder
{
    private readonly byte[] _config;
    private readonly ArrayBufferWriter<byte> _data = new(1 << 16);
    private readonly List<int> _sizes = [];

    public MdsShardBuilder(byte[] config) => _config = config;

    public int Count => _sizes.Count;

    /// <summary>What an empty shard costs before any sample: count, the final offset, and the config.</summary>
    public long EmptyShardBytes => 8 + _config.Length;

    public void Add(MdsRow row, int encodedLength)
    {
        row.EncodeTo(_data.GetSpan(encodedLength)[..encodedLength]);
        _data.Advance(encodedLength);
        _sizes.Add(encodedLength);
    }

    public byte[] BuildRaw()
    {
        int n = _sizes.Count;
        long header = 4L + 4L * (n + 1) + _config.Length;
        long total = header + _data.WrittenCount;
        // Offsets are u32. Upstream would silently wrap; a shard that no reader can parse is worse than an error.
        if (total > uint.MaxValue)
        {
            throw new InvalidOperationException($"An MDS shard cannot exceed 4 GiB (offsets are u32); this one would be {total} bytes.");
        }
        var raw = GC.AllocateUninitializedArray<byte>((int)total);
        var span = raw.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)n);
        uint offset = (uint)header;
        for (int k = 0; k < n; k++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + 4 * k)..], offset);
            offset += (uint)_sizes[k];
        }
        BinaryPrimitives.WriteUInt32LittleEndian(span[(4 + 4 * n)..], offset);
        _config.CopyTo(span[(8 + 4 * n)..]);
        _data.WrittenSpan.CopyTo(span[(int)header..]);
        return raw;
    }

    public void Reset()
    {
        _data.ResetWrittenCount();
        _sizes.Clear();
    }
}
