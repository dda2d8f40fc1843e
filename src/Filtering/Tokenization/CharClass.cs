using System.Globalization;
using System.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// A set of code points read from the body of a Python regex character class (the strings in
/// spaCy's char_classes.py, escapes \uXXXX, \UXXXXXXXX and \X included) and written back as a
/// .NET pattern. Needed because .NET classes hold UTF-16 units: astral ranges (CJK extensions,
/// emoji) become surrogate-pair alternatives so that one match still consumes one code point.
/// </summary>
public sealed class CharClass
{
    private readonly List<(int Lo, int Hi)> _ranges;

    private CharClass(List<(int Lo, int Hi)> ranges) => _ranges = Normalize(ranges);

    public static CharClass Parse(string body)
    {
        var items = new List<(int Lo, int Hi)>();
        int i = 0;
        while (i < body.Length)
        {
            int lo = ReadElement(body, ref i);
            if (i + 1 < body.Length && body[i] == '-')
            {
                i++;
                int hi = ReadElement(body, ref i);
                items.Add((lo, hi));
            }
            else
            {
                items.Add((lo, lo));
            }
        }
        return new CharClass(items);
    }

    public static CharClass Union(params CharClass[] parts) => new(parts.SelectMany(p => p._ranges).ToList());

    /// <summary>The merged ranges, sorted.</summary>
    public IReadOnlyList<(int Lo, int Hi)> Ranges => _ranges;

    /// <summary>A constant-time membership test of this class (a bitmap of the BMP, binary search above it).</summary>
    public CodePointSet ToSet() => new(_ranges);

    public bool Contains(int codePoint)
    {
        foreach (var (lo, hi) in _ranges)
        {
            if (codePoint >= lo && codePoint <= hi)
            {
                return true;
            }
        }
        return false;
    }

    private static int ReadElement(string s, ref int i)
    {
        if (s[i] == '\\' && i + 1 < s.Length)
        {
            char e = s[i + 1];
            if (e == 'u')
            {
                int v = int.Parse(s.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                i += 6;
                return v;
            }
            if (e == 'U')
            {
                int v = int.Parse(s.AsSpan(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                i += 10;
                return v;
            }
            i += 2;
            return e;
        }
        Rune.DecodeFromUtf16(s.AsSpan(i), out var r, out int used);
        i += used;
        return r.Value;
    }

    private static List<(int Lo, int Hi)> Normalize(List<(int Lo, int Hi)> ranges)
    {
        var sorted = ranges.OrderBy(r => r.Lo).ToList();
        var merged = new List<(int Lo, int Hi)>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.Lo <= merged[^1].Hi + 1)
            {
                merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, r.Hi));
            }
            else
            {
                merged.Add(r);
            }
        }
        return merged;
    }

    /// <summary>The class as a .NET pattern matching exactly one code point of the set.</summary>
    public string ToPattern()
    {
        var bmp = new StringBuilder();
        var astral = new List<string>();
        foreach (var (lo, hi) in _ranges)
        {
            if (lo <= 0xFFFF)
            {
                int bhi = Math.Min(hi, 0xFFFF);
                bmp.Append(Escape(lo));
                if (bhi > lo)
                {
                    bmp.Append('-').Append(Escape(bhi));
                }
            }
            if (hi > 0xFFFF)
            {
                AddAstral(Math.Max(lo, 0x10000), hi, astral);
            }
        }
        string bmpClass = bmp.Length > 0 ? "[" + bmp + "]" : "";
        if (astral.Count == 0)
        {
            return bmpClass;
        }
        var alternatives = new List<string>();
        if (bmpClass.Length > 0)
        {
            alternatives.Add(bmpClass);
        }
        alternatives.AddRange(astral);
        return "(?:" + string.Join("|", alternatives) + ")";
    }

    private static void AddAstral(int lo, int hi, List<string> output)
    {
        int v = lo;
        while (v <= hi)
        {
            int high = 0xD800 + ((v - 0x10000) >> 10);
            int blockEnd = 0x10000 + ((high - 0xD800 + 1) << 10) - 1;
            int end = Math.Min(hi, blockEnd);
            int lowStart = 0xDC00 + ((v - 0x10000) & 0x3FF);
            int lowEnd = 0xDC00 + ((end - 0x10000) & 0x3FF);
            output.Add(Escape(high) + "[" + Escape(lowStart) + "-" + Escape(lowEnd) + "]");
            v = end + 1;
        }
    }

    private static string Escape(int unit) => "\\u" + unit.ToString("X4", CultureInfo.InvariantCulture);
}

/// <summary>Fast membership in a set of code points: one bit per BMP code point, sorted ranges above.</summary>
public sealed class CodePointSet
{
    private readonly ulong[] _bmp = new ulong[0x10000 / 64];
    private readonly int[] _astralLo;
    private readonly int[] _astralHi;

    internal CodePointSet(IReadOnlyList<(int Lo, int Hi)> ranges)
    {
        var lo = new List<int>();
        var hi = new List<int>();
        foreach (var (a, b) in ranges)
        {
            for (int c = a; c <= Math.Min(b, 0xFFFF); c++)
            {
                _bmp[c >> 6] |= 1UL << (c & 63);
            }
            if (b > 0xFFFF)
            {
                lo.Add(Math.Max(a, 0x10000));
                hi.Add(b);
            }
        }
        _astralLo = lo.ToArray();
        _astralHi = hi.ToArray();
    }

    /// <summary>Whether the set holds a surrogate code unit (a class with one cannot be tested per code point).</summary>
    public bool HasSurrogates
    {
        get
        {
            for (int c = 0xD800; c <= 0xDFFF; c++)
            {
                if (Contains(c))
                {
                    return true;
                }
            }
            return false;
        }
    }

    public bool Contains(int codePoint)
    {
        if ((uint)codePoint <= 0xFFFF)
        {
            return (_bmp[codePoint >> 6] & (1UL << (codePoint & 63))) != 0;
        }
        int i = Array.BinarySearch(_astralLo, codePoint);
        if (i >= 0)
        {
            return true;
        }
        i = ~i - 1;
        return i >= 0 && codePoint <= _astralHi[i];
    }
}
