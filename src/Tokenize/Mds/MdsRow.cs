using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// One sample being built: each column's payload is encoded as it is set, into one buffer that is
/// reused from sample to sample, so writing a sample allocates nothing once the buffer has grown.
/// Values are checked against the column's encoding the way upstream's encoders check them.
/// </summary>
public sealed class MdsRow
{
    private readonly MdsSchema _schema;
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private readonly int[] _start;
    private readonly int[] _length;

    public MdsRow(MdsSchema schema)
    {
        _schema = schema ?? throw new ArgumentNullException(nameof(schema));
        _start = new int[schema.Count];
        _length = new int[schema.Count];
        Clear();
    }

    public MdsSchema Schema => _schema;

    /// <summary>Forgets all values, keeping the buffer.</summary>
    public void Clear()
    {
        _data.ResetWrittenCount();
        Array.Fill(_start, -1);
    }

    /// <summary>
    /// Stores <paramref name="payload"/> as the column's encoded bytes, whatever the encoding:
    /// upstream's <c>mds_encode</c> passes Python <c>bytes</c> through the same way. Fixed-size
    /// columns still need exactly their size.
    /// </summary>
    public MdsRow SetBytes(string column, ReadOnlySpan<byte> payload)
    {
        int c = _schema.IndexOf(column);
        if (_schema.Encodings[c].FixedSize is { } size && size != payload.Length)
        {
            throw new ArgumentException($"Column '{column}' ({_schema.Encodings[c].Text}) takes exactly {size} bytes, got {payload.Length}.");
        }
        payload.CopyTo(Begin(c, payload.Length));
        return End(c, payload.Length);
    }

    /// <summary>A <c>str</c> column as UTF-8; also <c>bytes</c> columns, as upstream would encode a str there.</summary>
    public MdsRow SetString(string column, ReadOnlySpan<char> value)
    {
        int c = Expect(column, MdsEncodingKind.Str, MdsEncodingKind.Bytes);
        // Lone surrogates cannot be UTF-8 and Python's encode would raise; .NET would silently write U+FFFD.
        if (value.ContainsAnyInRange('\uD800', '\uDFFF') && HasLoneSurrogate(value))
        {
            throw new ArgumentException($"Column '{column}': the string has unpaired surrogates and cannot be UTF-8.");
        }
        int n = Encoding.UTF8.GetByteCount(value);
        Encoding.UTF8.GetBytes(value, Begin(c, n));
        return End(c, n);
    }

    /// <summary>An integer into <c>int</c>, a sized integer or float column, or a <c>str_int</c> column.</summary>
    public MdsRow SetInt64(string column, long value)
    {
        int c = _schema.IndexOf(column);
        var enc = _schema.Encodings[c];
        if (enc.Kind == MdsEncodingKind.StrInt)
        {
            Span<byte> digits = stackalloc byte[24];
            value.TryFormat(digits, out int n, default, CultureInfo.InvariantCulture);
            digits[..n].CopyTo(Begin(c, n));
            return End(c, n);
        }
        var dtype = ScalarType(column, c);
        var span = Begin(c, MdsDTypes.ItemSize(dtype));
        bool ok = dtype switch
        {
            MdsDType.Int8 => Fits(value, sbyte.MinValue, sbyte.MaxValue) && Put(span, (byte)(sbyte)value),
            MdsDType.UInt8 => Fits(value, 0, byte.MaxValue) && Put(span, (byte)value),
            MdsDType.Int16 => Fits(value, short.MinValue, short.MaxValue) && Write(span, (short)value),
            MdsDType.UInt16 => Fits(value, 0, ushort.MaxValue) && Write(span, (ushort)value),
            MdsDType.Int32 => Fits(value, int.MinValue, int.MaxValue) && Write(span, (int)value),
            MdsDType.UInt32 => Fits(value, 0, uint.MaxValue) && Write(span, (uint)value),
            MdsDType.Int64 => Write(span, value),
            MdsDType.UInt64 => value >= 0 && Write(span, (ulong)value),
            MdsDType.Float16 => Write(span, (Half)value),
            MdsDType.Float32 => Write(span, (float)value),
            _ => Write(span, (double)value),
        };
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(column, value, $"Out of range for column '{column}' ({enc.Text}).");
        }
        return End(c, span.Length);
    }

    /// <summary>A <c>uint64</c> value above <see cref="long.MaxValue"/>.</summary>
    public MdsRow SetUInt64(string column, ulong value)
    {
        int c = _schema.IndexOf(column);
        if (ScalarType(column, c) != MdsDType.UInt64)
        {
            return value <= long.MaxValue ? SetInt64(column, (long)value) : throw new ArgumentOutOfRangeException(column, value, $"Out of range for column '{column}'.");
        }
        var span = Begin(c, 8);
        BinaryPrimitives.WriteUInt64LittleEndian(span, value);
        return End(c, 8);
    }

    /// <summary>A <c>float16</c>/<c>float32</c>/<c>float64</c> column, rounded to nearest as numpy does.</summary>
    public MdsRow SetDouble(string column, double value)
    {
        int c = _schema.IndexOf(column);
        var dtype = ScalarType(column, c);
        var span = Begin(c, MdsDTypes.ItemSize(dtype));
        _ = dtype switch
        {
            MdsDType.Float16 => Write(span, (Half)value),
            MdsDType.Float32 => Write(span, (float)value),
            MdsDType.Float64 => Write(span, value),
            _ => throw new ArgumentException($"Column '{column}' ({_schema.Encodings[c].Text}) is not a float column."),
        };
        return End(c, span.Length);
    }

    /// <summary>An <c>ndarray</c> column; an empty <paramref name="shape"/> means one dimension of all values.</summary>
    public MdsRow SetArray<T>(string column, ReadOnlySpan<T> values, ReadOnlySpan<int> shape = default) where T : unmanaged
    {
        int c = Expect(column, MdsEncodingKind.NdArray);
        int before = _data.WrittenCount;
        NdArrayCodec.Encode(_data, _schema.Encodings[c], values, shape);
        _start[c] = before;
        _length[c] = _data.WrittenCount - before;
        return this;
    }

    /// <summary>A <c>json</c> column: the bytes of Python's <c>json.dumps</c> of the parsed value.</summary>
    public MdsRow SetJson(string column, JsonElement value)
    {
        int c = Expect(column, MdsEncodingKind.Json);
        int before = _data.WrittenCount;
        PythonJsonElement.Write(new PythonJsonWriter(_data), value, sortKeys: false);
        _start[c] = before;
        _length[c] = _data.WrittenCount - before;
        return this;
    }

    /// <summary>Bytes of the encoded sample: a u32 size per variable-size column, then every payload.</summary>
    internal int EncodedLength()
    {
        long total = 0;
        for (int c = 0; c < _start.Length; c++)
        {
            if (_start[c] < 0)
            {
                throw new ArgumentException($"The sample has no value for column '{_schema.Names[c]}'.");
            }
            total += _length[c] + (_schema.Encodings[c].FixedSize is null ? 4 : 0);
        }
        return checked((int)total);
    }

    /// <summary>Writes the encoded sample (<c>MDSWriter.encode_sample</c>); <paramref name="destination"/> is <see cref="EncodedLength"/> long.</summary>
    internal void EncodeTo(Span<byte> destination)
    {
        int n = 0;
        for (int c = 0; c < _start.Length; c++)
        {
            if (_schema.Encodings[c].FixedSize is null)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(destination[n..], (uint)_length[c]);
                n += 4;
            }
        }
        var data = _data.WrittenSpan;
        for (int c = 0; c < _start.Length; c++)
        {
            data.Slice(_start[c], _length[c]).CopyTo(destination[n..]);
            n += _length[c];
        }
    }

    private Span<byte> Begin(int column, int length)
    {
        _start[column] = _data.WrittenCount;
        return _data.GetSpan(Math.Max(length, 1))[..length];
    }

    private MdsRow End(int column, int length)
    {
        _length[column] = length;
        _data.Advance(length);
        return this;
    }

    private int Expect(string column, MdsEncodingKind kind, MdsEncodingKind alternative = (MdsEncodingKind)(-1))
    {
        int c = _schema.IndexOf(column);
        var actual = _schema.Encodings[c].Kind;
        if (actual != kind && actual != alternative)
        {
            throw new ArgumentException($"Column '{column}' is {_schema.Encodings[c].Text}, not {kind.ToString().ToLowerInvariant()}.");
        }
        return c;
    }

    private MdsDType ScalarType(string column, int c)
    {
        var enc = _schema.Encodings[c];
        return enc.Kind == MdsEncodingKind.Scalar ? enc.DType!.Value : throw new ArgumentException($"Column '{column}' is {enc.Text}, not a scalar column.");
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Fits(long v, long min, long max) => v >= min && v <= max;

    private static bool Put(Span<byte> span, byte b)
    {
        span[0] = b;
        return true;
    }

    private static bool Write<T>(Span<byte> span, T value) where T : unmanaged
    {
        // Little-endian hosts only, as upstream's numpy tobytes.
        System.Runtime.InteropServices.MemoryMarshal.Write(span, in value);
        return true;
    }
}
