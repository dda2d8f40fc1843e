using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace DataPipeline.Core.Json;

/// <summary>
/// Writes JSON strings as UTF-8 with the minimal escaping JSON requires (quote, backslash, control
/// characters), keeping every other character as it is, as Python's <c>json.dumps(ensure_ascii=False)</c>
/// does. Lone surrogates, which a JSON <c>\ud800</c> escape can put in a .NET string, are written
/// back as escapes so nothing is lost.
/// </summary>
public static class JsonText
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(BuildEscapeSet());

    private static byte[] BuildEscapeSet()
    {
        var set = new List<byte> { (byte)'"', (byte)'\\' };
        for (int c = 0; c < 0x20; c++)
        {
            set.Add((byte)c);
        }
        return [.. set];
    }

    /// <summary>Appends <paramref name="value"/> as a quoted JSON string.</summary>
    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<char> value)
    {
        Write(output, "\""u8);
        int maxBytes = value.Length <= 64 * 1024 * 1024 ? value.Length * 3 : Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> utf8 = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var status = Utf8.FromUtf16(value, utf8, out int charsRead, out int written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
            {
                WriteEscapedUtf8(output, utf8[..written]);
            }
            else
            {
                WriteWithLoneSurrogates(output, value);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        Write(output, "\""u8);
    }

    /// <summary>Escapes already-valid UTF-8 text (without quotes).</summary>
    public static void WriteEscapedUtf8(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            int i = utf8.IndexOfAny(NeedsEscape);
            if (i < 0)
            {
                Write(output, utf8);
                return;
            }
            Write(output, utf8[..i]);
            WriteEscape(output, utf8[i]);
            utf8 = utf8[(i + 1)..];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteWithLoneSurrogates(IBufferWriter<byte> output, ReadOnlySpan<char> value)
    {
        Span<byte> one = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                int n = Encoding.UTF8.GetBytes(value.Slice(i, 2), one);
                Write(output, one[..n]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                Write(output, Encoding.ASCII.GetBytes($"\\u{(int)c:x4}"));
            }
            else
            {
                int n = Encoding.UTF8.GetBytes(value.Slice(i, 1), one);
                WriteEscapedUtf8(output, one[..n]);
            }
        }
    }

    private static void WriteEscape(IBufferWriter<byte> output, byte b)
    {
        switch (b)
        {
            case (byte)'"': Write(output, "\\\""u8); break;
            case (byte)'\\': Write(output, "\\\\"u8); break;
            case (byte)'\n': Write(output, "\\n"u8); break;
            case (byte)'\r': Write(output, "\\r"u8); break;
            case (byte)'\t': Write(output, "\\t"u8); break;
            case (byte)'\b': Write(output, "\\b"u8); break;
            case (byte)'\f': Write(output, "\\f"u8); break;
            default:
                Span<byte> u = stackalloc byte[6];
                "\\u00"u8.CopyTo(u);
                u[4] = Hex(b >> 4);
                u[5] = Hex(b & 0xf);
                Write(output, u);
                break;
        }
    }

    private static byte Hex(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
