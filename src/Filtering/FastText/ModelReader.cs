using System.Buffers.Binary;
using DataPipeline.Core.Errors;

namespace DataPipeline.Filtering.FastText;

/// <summary>
/// Reads fastText's binary layout (little-endian, as fastText writes it on every platform it is
/// used on) from a file held in memory, with an error that names the file and the part being read
/// when the file ends early or a value is out of range.
/// </summary>
internal sealed class ModelReader(byte[] data, string source)
{
    private int _pos;

    public int Position => _pos;

    public int Remaining => data.Length - _pos;

    public string Source => source;

    public DataPipelineException Error(string message) =>
        new($"fastText model {source}: {message} (at byte {_pos} of {data.Length}); is it a fastText .bin or .ftz file?");

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > data.Length - _pos)
        {
            throw Error($"file ends inside {what}");
        }
        var span = data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    public int Int32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));

    public long Int64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, what));

    public double Double(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    public byte Byte(string what) => Take(1, what)[0];

    /// <summary>A C++ bool as fastText writes it (one byte, any non-zero value reads as true).</summary>
    public bool Bool(string what) => Byte(what) != 0;

    public ReadOnlySpan<byte> Bytes(long count, string what) =>
        count > int.MaxValue ? throw Error($"{what} is too large ({count} bytes)") : Take((int)count, what);

    /// <summary>A NUL-terminated string; returns the bytes without the NUL.</summary>
    public ReadOnlySpan<byte> CString(string what)
    {
        int end = data.AsSpan(_pos).IndexOf((byte)0);
        if (end < 0)
        {
            throw Error($"file ends inside {what}");
        }
        var span = data.AsSpan(_pos, end);
        _pos += end + 1;
        return span;
    }

    public float[] Floats(long count, string what)
    {
        if (count < 0 || count > int.MaxValue / 4)
        {
            throw Error($"{what} has an impossible size ({count} values)");
        }
        var bytes = Take((int)count * 4, what);
        var result = new float[count];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()));
        }
        else
        {
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
            }
        }
        return result;
    }
}
