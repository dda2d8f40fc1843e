using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// The <c>ndarray</c> payload (<c>NDArray.encode</c>/<c>decode</c>): an MDS dtype code byte when the
/// spec has no dtype, a shape byte <c>(ndim &lt;&lt; 2) | width</c> and the dims in the narrowest
/// unsigned type that holds the largest one when the spec has no shape, then the values in C order.
/// </summary>
public static class NdArrayCodec
{
    public const int MaxDims = 63;

    /// <summary>Appends the payload for <paramref name="values"/> with <paramref name="shape"/> (empty means 1-D).</summary>
    public static void Encode<T>(IBufferWriter<byte> output, MdsEncoding encoding, ReadOnlySpan<T> values, scoped ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        var dtype = MdsDTypes.Of<T>();
        Span<int> oneDim = [values.Length];
        if (shape.IsEmpty)
        {
            shape = oneDim;
        }
        Validate(encoding, dtype, values.Length, shape);

        int header = (encoding.DType is null ? 1 : 0) + (encoding.Shape is null ? 1 + shape.Length * 8 : 0);
        var bytes = MemoryMarshal.AsBytes(values);
        var span = output.GetSpan(header + bytes.Length);
        int n = 0;
        if (encoding.DType is null)
        {
            span[n++] = MdsDTypes.NdArrayCode(dtype);
        }
        if (encoding.Shape is null)
        {
            n += WriteShape(span[n..], shape);
        }
        // Little-endian hosts only (as upstream's tobytes): the values are the array's memory.
        bytes.CopyTo(span[n..]);
        output.Advance(n + bytes.Length);
    }

    private static void Validate(MdsEncoding encoding, MdsDType dtype, int count, ReadOnlySpan<int> shape)
    {
        if (encoding.DType is { } want && want != dtype)
        {
            throw new ArgumentException($"Column encoding {encoding.Text} expects {MdsDTypes.Name(want)}, got {MdsDTypes.Name(dtype)}.");
        }
        if (shape.Length > MaxDims)
        {
            throw new ArgumentException($"An MDS ndarray has at most {MaxDims} dimensions, got {shape.Length}.");
        }
        long product = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException("ndarray dimensions cannot be negative.");
            }
            product *= d;
        }
        if (product != count)
        {
            throw new ArgumentException($"ndarray shape holds {product} elements but {count} values were given.");
        }
        if (count == 0)
        {
            throw new ArgumentException("MDS refuses ndarrays with zero elements (upstream NDArray.encode).");
        }
        if (encoding.Shape is { } fixedShape && !SameShape(fixedShape, shape))
        {
            throw new ArgumentException($"Column encoding {encoding.Text} expects shape ({string.Join(",", fixedShape)}), got ({string.Join(",", shape.ToArray())}).");
        }
    }

    // A loop, not SequenceEqual over a copy: fixed-shape token columns check this once per sample.
    private static bool SameShape(IReadOnlyList<int> expected, ReadOnlySpan<int> actual)
    {
        if (expected.Count != actual.Length)
        {
            return false;
        }
        for (int i = 0; i < actual.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int WriteShape(Span<byte> span, ReadOnlySpan<int> shape)
    {
        int max = 0;
        foreach (int d in shape)
        {
            max = Math.Max(max, d);
        }
        // Dims are ints here, so u64 (width code 3) never arises.
        int width = max < 1 << 8 ? 0 : max < 1 << 16 ? 1 : 2;
        span[0] = (byte)((shape.Length << 2) | width);
        int n = 1;
        foreach (int d in shape)
        {
            switch (width)
            {
                case 0: span[n] = (byte)d; n += 1; break;
                case 1: BinaryPrimitives.WriteUInt16LittleEndian(span[n..], (ushort)d); n += 2; break;
                default: BinaryPrimitives.WriteUInt32LittleEndian(span[n..], (uint)d); n += 4; break;
            }
        }
        return n;
    }

    /// <summary>Splits a stored payload into dtype, shape and the value bytes.</summary>
    public static MdsArrayView Decode(MdsEncoding encoding, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> values)
    {
        int n = 0;
        MdsDType dtype;
        if (encoding.DType is { } fixedType)
        {
            dtype = fixedType;
        }
        else
        {
            Need(payload, 1);
            if (!MdsDTypes.TryFromNdArrayCode(payload[0], out dtype))
            {
                throw new InvalidDataException($"ndarray payload has unknown dtype code {payload[0]}.");
            }
            n = 1;
        }
        long[] shape;
        if (encoding.Shape is { } fixedShape)
        {
            shape = fixedShape.Select(d => (long)d).ToArray();
        }
        else
        {
            Need(payload, n + 1);
            int ndim = payload[n] >> 2;
            int width = 1 << (payload[n] & 3);
            n++;
            Need(payload, n + ndim * width);
            shape = new long[ndim];
            for (int i = 0; i < ndim; i++, n += width)
            {
                shape[i] = width switch
                {
                    1 => payload[n],
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(payload[n..]),
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(payload[n..]),
                    _ => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(payload[n..])),
                };
            }
        }
        values = payload[n..];
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }
        if (count * MdsDTypes.ItemSize(dtype) != values.Length)
        {
            throw new InvalidDataException($"ndarray payload holds {values.Length} value bytes, shape ({string.Join(",", shape)}) of {MdsDTypes.Name(dtype)} needs {count * MdsDTypes.ItemSize(dtype)}.");
        }
        return new MdsArrayView(dtype, shape);
    }

    private static void Need(ReadOnlySpan<byte> payload, int length)
    {
        if (payload.Length < length)
        {
            throw new InvalidDataException("ndarray payload is shorter than its header.");
        }
    }
}

/// <summary>The dtype and shape of a decoded ndarray.</summary>
public sealed record MdsArrayView(MdsDType DType, IReadOnlyList<long> Shape);
