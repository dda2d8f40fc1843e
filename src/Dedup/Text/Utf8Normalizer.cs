using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace DataPipeline.Dedup.Text;

/// <summary>
/// <see cref="DedupTextNormalizer"/> straight from UTF-8 into a reusable byte buffer, with a fast path
/// that gives byte-identical output without a string per document. Every step of simplify_text is a
/// per-code-point map except three: number runs (handled here for ASCII digits), the Final_Sigma rule
/// of Python's lower() and whitespace collapsing (handled here). So each BMP code point gets its
/// result precomputed once — dropMn(NFD(lower(c))), or "space" for punctuation and whitespace — and
/// text is mapped through that table. A code point the table cannot decide alone (Σ, a non-ASCII digit
/// or decimal separator, anything beyond the BMP, invalid UTF-8) sends the document down the exact
/// general path. Output words are separated by exactly one space, without leading or trailing space.
/// </summary>
public sealed class Utf8Normalizer
{
    private const byte Keep = 0, Upper = 1, Digit = 2, Space = 3;
    private static readonly byte[] AsciiClass = BuildAsciiClass();
    private byte[] _buffer = new byte[1 << 16];
    private readonly bool _vectors;
    private readonly bool _compress;

    public Utf8Normalizer()
        : this(AsciiBlock.IsEnabled, AsciiBlock.CanCompress)
    {
    }

    /// <summary>For tests: the same results with the vector blocks, or their vpcompressb step, turned off.</summary>
    internal Utf8Normalizer(bool vectors, bool compress)
    {
        _vectors = vectors && AsciiBlock.IsEnabled;
        _compress = _vectors && compress && AsciiBlock.CanCompress;
    }

    /// <summary>The normalised text of the last <see cref="Normalize(ReadOnlySpan{byte}, Func{string})"/>.</summary>
    public ReadOnlySpan<byte> Result => _buffer.AsSpan(0, Length);

    public int Length { get; private set; }

    /// <summary>Documents that needed the general path (for profiling).</summary>
    public long SlowPathDocuments { get; private set; }

    /// <param name="utf8">The text as UTF-8.</param>
    /// <param name="text">The same text as a string, asked for only when the general path is needed.</param>
    public void Normalize(ReadOnlySpan<byte> utf8, Func<string> text)
    {
        if (!TryFast(utf8))
        {
            SlowPathDocuments++;
            NormalizeSlow(text());
        }
    }

    public void Normalize(string text)
    {
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int n = Encoding.UTF8.GetBytes(text, rented);
            Normalize(rented.AsSpan(0, n), () => text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void NormalizeSlow(string text)
    {
        var normalized = DedupTextNormalizer.Normalize(text);
        Ensure(Encoding.UTF8.GetMaxByteCount(normalized.Length));
        int n = Encoding.UTF8.GetBytes(normalized, _buffer);
        // Dropping a lone combining mark between spaces can leave two spaces in a row: collapse them,
        // so that word n-grams are always single-space joined, as datatrove's split/join makes them.
        int o = 0;
        for (int i = 0; i < n; i++)
        {
            byte c = _buffer[i];
            if (c == (byte)' ' && (o == 0 || _buffer[o - 1] == (byte)' ')) continue;
            _buffer[o++] = c;
        }
        if (o > 0 && _buffer[o - 1] == (byte)' ') o--;
        Length = o;
    }

    private bool TryFast(ReadOnlySpan<byte> utf8)
    {
        int n = utf8.Length;
        // Invariant: room for the rest of the input plus one whole vector store past the output
        // position. ASCII never grows (a byte yields at most one byte), so only a multi-byte mapping
        // has to re-establish it.
        Ensure(n + AsciiBlock.Size);
        var output = _buffer;
        int o = 0, i = 0;
        var classes = AsciiClass;
        bool vectors = _vectors, compress = _compress;
        while (i < n)
        {
            if (vectors && n - i >= AsciiBlock.Size)
            {
                int used = AsciiBlock.Map(utf8.Slice(i, AsciiBlock.Size), output, ref o, compress);
                if (used > 0)
                {
                    i += used;
                    continue;
                }
            }
            // One unit at a time: a byte, a multi-byte code point or a digit run (what a block stops at).
            byte c = utf8[i];
            if (c >= 0x80)
            {
                if (Rune.DecodeFromUtf8(utf8[i..], out var rune, out int used) != OperationStatus.Done) return false;
                var mapped = Mapping(rune.Value);
                if (mapped is null) return false;
                i += used;
                if (ReferenceEquals(mapped, SpaceMarker))
                {
                    if (o > 0 && output[o - 1] != (byte)' ') output[o++] = (byte)' ';
                    continue;
                }
                if (mapped.Length == 0) continue; // a dropped mark
                if (o + mapped.Length + (n - i) + AsciiBlock.Size > output.Length)
                {
                    Ensure(o + mapped.Length + (n - i) * 3 + AsciiBlock.Size);
                    output = _buffer;
                }
                mapped.CopyTo(output, o);
                o += mapped.Length;
                continue;
            }
            switch (classes[c])
            {
                case Space:
                    // Spaces are written eagerly, at most one in a row and never first; a trailing one is cut at the end.
                    // Mapped code points never contain a space, so the last output byte says whether one is pending.
                    if (o > 0 && output[o - 1] != (byte)' ') output[o++] = (byte)' ';
                    i++;
                    continue;
                case Digit:
                {
                    int j = SkipAsciiDigits(utf8, i);
                    if (UndecidedAt(utf8, j)) return false; // a non-ASCII digit or separator may continue the number
                    if (j + 1 < n && (utf8[j] == (byte)'.' || utf8[j] == (byte)',') && IsAsciiDigit(utf8[j + 1]))
                    {
                        j = SkipAsciiDigits(utf8, j + 1);
                        if (UndecidedAt(utf8, j)) return false;
                    }
                    else if (j + 1 < n && (utf8[j] == (byte)'.' || utf8[j] == (byte)',') && UndecidedAt(utf8, j + 1))
                    {
                        return false; // "1." followed by a non-ASCII digit would be a decimal part
                    }
                    output[o++] = (byte)'0';
                    i = j;
                    continue;
                }
                case Upper:
                    c += 32;
                    break;
            }
            output[o++] = c;
            i++;
        }
        if (o > 0 && output[o - 1] == (byte)' ') o--;
        Length = o;
        return true;
    }

    /// <summary>Whether a non-ASCII code point the table cannot decide alone starts at <paramref name="i"/>.</summary>
    private static bool UndecidedAt(ReadOnlySpan<byte> s, int i)
    {
        if (i >= s.Length || s[i] < 0x80) return false;
        return Rune.DecodeFromUtf8(s[i..], out var rune, out _) != OperationStatus.Done || Mapping(rune.Value) is null;
    }

    /// <summary>
    /// What one code point becomes (<see cref="SpaceMarker"/>, empty for a dropped mark, else its UTF-8), or
    /// null when it cannot be decided alone. BMP code points come from a table; the rarer ones beyond it
    /// (emoji, historic scripts, mathematical letters) are decided by the same rule on first sight and cached.
    /// </summary>
    private static byte[]? Mapping(int codePoint)
    {
        if (codePoint <= 0xFFFF) return BmpTable[codePoint];
        return AstralCache.GetOrAdd(codePoint, static cp => DecideAstral(new Rune(cp)));
    }

    private static readonly ConcurrentDictionary<int, byte[]?> AstralCache = new();

    /// <summary>
    /// The BMP table's rule for a code point beyond the BMP: dropMn(NFD(lower(c))), or null for a digit
    /// (its run may join a number) and for what lowers to a digit, punctuation or whitespace. No such
    /// code point is punctuation or whitespace itself (both sets lie in the BMP), nor Σ.
    /// </summary>
    private static byte[]? DecideAstral(Rune rune)
    {
        if (Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.DecimalDigitNumber) return null;
        var lowered = PythonText.Lower(rune.ToString());
        foreach (var r in lowered.EnumerateRunes())
        {
            if (r.IsBmp && (DedupTextNormalizer.IsPunctuation((char)r.Value) || PythonText.IsSpace((char)r.Value))) return null;
            if (Rune.GetUnicodeCategory(r) == System.Globalization.UnicodeCategory.DecimalDigitNumber) return null;
        }
        var mapped = DedupTextNormalizer.RemoveNonSpacingMarks(lowered);
        return mapped.Length == 0 ? [] : Encoding.UTF8.GetBytes(mapped);
    }

    private static readonly byte[] SpaceMarker = [(byte)' '];
    private static readonly byte[]?[] BmpTable = BuildBmpTable();

    private static byte[]?[] BuildBmpTable()
    {
        var table = new byte[]?[0x10000];
        var empty = Array.Empty<byte>();
        for (int c = 0x80; c < 0x10000; c++)
        {
            char ch = (char)c;
            if (char.IsSurrogate(ch) || c == 0x3A3 || DedupTextNormalizer.IsDecimalSeparator(ch)
                || char.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.DecimalDigitNumber)
            {
                continue; // decided by context: left to the general path
            }
            if (DedupTextNormalizer.IsPunctuation(ch) || PythonText.IsSpace(ch))
            {
                table[c] = SpaceMarker;
                continue;
            }
            var lowered = PythonText.Lower(ch.ToString());
            if (lowered.Any(x => DedupTextNormalizer.IsPunctuation(x) || PythonText.IsSpace(x) || char.IsDigit(x) || char.IsSurrogate(x)))
            {
                continue;
            }
            var mapped = DedupTextNormalizer.RemoveNonSpacingMarks(lowered);
            table[c] = mapped.Length == 0 ? empty : Encoding.UTF8.GetBytes(mapped);
        }
        return table;
    }

    private static bool IsAsciiDigit(byte c) => (uint)(c - '0') <= 9;

    private static int SkipAsciiDigits(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsAsciiDigit(s[i])) i++;
        return i;
    }

    private void Ensure(int bytes)
    {
        if (_buffer.Length < bytes) Array.Resize(ref _buffer, Math.Max(bytes, _buffer.Length * 2));
    }

    private static byte[] BuildAsciiClass()
    {
        var table = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = c is >= 'A' and <= 'Z' ? Upper
                : c is >= '0' and <= '9' ? Digit
                : DedupTextNormalizer.IsPunctuation((char)c) || PythonText.IsSpace((char)c) ? Space
                : Keep;
        }
        return table;
    }
}
