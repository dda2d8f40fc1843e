using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// One stored sample, split into its column payloads (<c>MDSReader.decode_sample</c>): a u32 size for
/// each variable-size column, then the payloads in column order.
/// </summary>
public sealed class MdsSample
{
    private readonly byte[] _data;
    private readonly int[] _start;
    private readonly int[] _length;

    internal MdsSample(MdsSchema schema, byte[] data, string where)
    {
        Schema = schema;
        _data = data;
        _start = new int[schema.Count];
        _length = new int[schema.Count];
        var span = data.AsSpan();
        int n = 0;
        for (int c = 0; c < schema.Count; c++)
        {
            if (schema.Encodings[c].FixedSize is { } size)
            {
                _length[c] = size;
            }
            else
            {
                if (n + 4 > span.Length)
                {
                    throw new InvalidDataException($"{where}: sample ends inside its size header.");
                }
                uint len = BinaryPrimitives.ReadUInt32LittleEndian(span[n..]);
                _length[c] = len > int.MaxValue ? int.MaxValue : (int)len;
                n += 4;
            }
        }
        for (int c = 0; c < schema.Count; c++)
        {
            if ((long)n + _length[c] > span.Length)
            {
                throw new InvalidDataException($"{where}: column '{schema.Names[c]}' runs past the end of the sample.");
            }
            _start[c] = n;
            n += _length[c];
        }
    }

    public MdsSchema Schema { get; }

    /// <summary>The stored payload of a column, whatever its encoding.</summary>
    public ReadOnlySpan<byte> GetBytes(string column)
    {
        int c = Schema.IndexOf(column);
        return _data.AsSpan(_start[c], _length[c]);
    }

    public string GetString(string column) => Encoding.UTF8.GetString(GetBytes(column));

    /// <summary>Integer scalar columns (and <c>str_int</c>); <c>uint64</c> values above long.MaxValue throw.</summary>
    public long GetInt64(string column)
    {
        var enc = EncodingOf(column);
        var b = GetBytes(column);
        if (enc.Kind == MdsEncodingKind.StrInt)
        {
            return long.Parse(b, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        return ScalarType(column, enc) switch
        {
            MdsDType.Int8 => (sbyte)b[0],
            MdsDType.UInt8 => b[0],
            MdsDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
            MdsDType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
            MdsDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
            MdsDType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
            MdsDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
            MdsDType.UInt64 => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(b)),
            _ => throw new InvalidOperationException($"Column '{column}' ({enc.Text}) is a float column; use GetDouble."),
        };
    }

    public ulong GetUInt64(string column)
    {
        var enc = EncodingOf(column);
        return ScalarType(column, enc) == MdsDType.UInt64 ? BinaryPrimitives.ReadUInt64LittleEndian(GetBytes(column)) : checked((ulong)GetInt64(column));
    }

    /// <summary>Float scalar columns; integer columns are converted.</summary>
    public double GetDouble(string column)
    {
        var enc = EncodingOf(column);
        var b = GetBytes(column);
        return ScalarType(column, enc) switch
        {
            MdsDType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
            MdsDType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b),
            MdsDType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(b),
            MdsDType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
            _ => GetInt64(column),
        };
    }

    /// <summary>The dtype and shape of an <c>ndarray</c> column.</summary>
    public MdsArrayView GetArrayInfo(string column) => NdArrayCodec.Decode(NdArrayEncoding(column), GetBytes(column), out _);

    /// <summary>The values of an <c>ndarray</c> column in C order, without copying; <typeparamref name="T"/> must be its dtype.</summary>
    public ReadOnlySpan<T> GetArray<T>(string column) where T : unmanaged
    {
        var view = NdArrayCodec.Decode(NdArrayEncoding(column), GetBytes(column), out var values);
        if (view.DType != MdsDTypes.Of<T>())
        {
            throw new InvalidOperationException($"Column '{column}' holds {MdsDTypes.Name(view.DType)}, not {MdsDTypes.Name(MdsDTypes.Of<T>())}.");
        }
        return MemoryMarshal.Cast<byte, T>(values);
    }

    /// <summary>A <c>json</c> column, parsed.</summary>
    public JsonElement GetJson(string column)
    {
        using var doc = JsonDocument.Parse(_data.AsMemory(_start[Schema.IndexOf(column)], _length[Schema.IndexOf(column)]));
        return doc.RootElement.Clone();
    }

    private MdsEncoding EncodingOf(string column) => Schema.Encodings[Schema.IndexOf(column)];

    private MdsEncoding NdArrayEncoding(string column)
    {
        var enc = EncodingOf(column);
        return enc.Kind == MdsEncodingKind.NdArray ? enc : throw new InvalidOperationException($"Column '{column}' is {enc.Text}, not an ndarray.");
    }

    private static MdsDType ScalarType(string column, MdsEncoding enc) =>
        enc.Kind == MdsEncodingKind.Scalar ? enc.DType!.Value : throw new InvalidOperationException($"Column '{column}' is {enc.Text}, not a scalar column.");
}
