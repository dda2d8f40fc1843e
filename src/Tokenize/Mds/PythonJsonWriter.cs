using System.Buffers;
using System.Globalization;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Writes JSON text byte for byte as Python's <c>json.dumps</c> does with its default settings:
/// <c>", "</c> and <c>": "</c> separators on one line, <c>ensure_ascii</c> escapes, Python float
/// repr. Key order is the caller's: <c>sort_keys</c> callers emit keys in code point order
/// themselves. System.Text.Json cannot be configured into this layout, hence a writer of our own.
/// </summary>
public sealed class PythonJsonWriter
{
    private readonly IBufferWriter<byte> _output;
    // One flag per open container: true until its first element is written.
    private readonly List<bool> _first = new(8);
    private bool _afterName;

    public PythonJsonWriter(IBufferWriter<byte> output) => _output = output;

    public void BeginObject()
    {
        ValuePrefix();
        Raw("{"u8);
        _first.Add(true);
    }

    public void EndObject()
    {
        _first.RemoveAt(_first.Count - 1);
        Raw("}"u8);
    }

    public void BeginArray()
    {
        ValuePrefix();
        Raw("["u8);
        _first.Add(true);
    }

    public void EndArray()
    {
        _first.RemoveAt(_first.Count - 1);
        Raw("]"u8);
    }

    public void PropertyName(ReadOnlySpan<char> name)
    {
        ValuePrefix();
        WriteQuoted(name);
        Raw(": "u8);
        _afterName = true;
    }

    public void Null()
    {
        ValuePrefix();
        Raw("null"u8);
    }

    public void Bool(bool value)
    {
        ValuePrefix();
        Raw(value ? "true"u8 : "false"u8);
    }

    public void Int(long value)
    {
        ValuePrefix();
        Span<byte> buf = stackalloc byte[24];
        value.TryFormat(buf, out int n, default, CultureInfo.InvariantCulture);
        Raw(buf[..n]);
    }

    /// <summary>An integer already in decimal form (Python ints are unbounded, so large ones pass as text).</summary>
    public void IntText(ReadOnlySpan<char> digits)
    {
        ValuePrefix();
        foreach (char c in digits)
        {
            RawByte((byte)c);
        }
    }

    public void Float(double value)
    {
        ValuePrefix();
        foreach (char c in PythonFloat.JsonToken(value))
        {
            RawByte((byte)c);
        }
    }

    public void String(ReadOnlySpan<char> value)
    {
        ValuePrefix();
        WriteQuoted(value);
    }

    public void NullableInt(long? value)
    {
        if (value is { } v)
        {
            Int(v);
        }
        else
        {
            Null();
        }
    }

    public void NullableString(string? value)
    {
        if (value is null)
        {
            Null();
        }
        else
        {
            String(value);
        }
    }

    private void ValuePrefix()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }
        int top = _first.Count - 1;
        if (top < 0)
        {
            return;
        }
        if (_first[top])
        {
            _first[top] = false;
        }
        else
        {
            Raw(", "u8);
        }
    }

    // ensure_ascii: every UTF-16 unit outside 0x20-0x7E is escaped, astral characters therefore as
    // two surrogate escapes, exactly like Python's ESCAPE_ASCII pattern.
    private void WriteQuoted(ReadOnlySpan<char> value)
    {
        var span = _output.GetSpan(value.Length * 6 + 2);
        int n = 0;
        span[n++] = (byte)'"';
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': span[n++] = (byte)'\\'; span[n++] = (byte)'"'; break;
                case '\\': span[n++] = (byte)'\\'; span[n++] = (byte)'\\'; break;
                case '\n': span[n++] = (byte)'\\'; span[n++] = (byte)'n'; break;
                case '\r': span[n++] = (byte)'\\'; span[n++] = (byte)'r'; break;
                case '\t': span[n++] = (byte)'\\'; span[n++] = (byte)'t'; break;
                case '\b': span[n++] = (byte)'\\'; span[n++] = (byte)'b'; break;
                case '\f': span[n++] = (byte)'\\'; span[n++] = (byte)'f'; break;
                default:
                    if (c is >= ' ' and <= '~')
                    {
                        span[n++] = (byte)c;
                    }
                    else
                    {
                        span[n++] = (byte)'\\';
                        span[n++] = (byte)'u';
                        span[n++] = Hex(c >> 12);
                        span[n++] = Hex((c >> 8) & 0xf);
                        span[n++] = Hex((c >> 4) & 0xf);
                        span[n++] = Hex(c & 0xf);
                    }
                    break;
            }
        }
        span[n++] = (byte)'"';
        _output.Advance(n);
    }

    private static byte Hex(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }

    private void RawByte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }
}
