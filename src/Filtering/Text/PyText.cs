using System.Globalization;
using System.Text;

namespace DataPipeline.Filtering.Text;

/// <summary>
/// Python str semantics the upstream thresholds were tuned on: whitespace as str.isspace, letters
/// as str.isalpha, lengths in code points as len(), strip/split/count as Python does them.
/// Everything works on spans so the hot paths allocate nothing.
/// </summary>
public static class PyText
{
    /// <summary>str.isspace for one code point: .NET's White_Space set plus U+001C..U+001F, which
    /// Python counts as whitespace (bidi classes B and S) and .NET does not.</summary>
    public static bool IsSpace(int codePoint) => codePoint switch
    {
        >= 0x09 and <= 0x0D => true,
        >= 0x1C and <= 0x20 => true,
        0x85 or 0xA0 or 0x1680 or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        >= 0x2000 and <= 0x200A => true,
        _ => false,
    };

    public static bool IsSpace(char c) => IsSpace((int)c);

    /// <summary>str.isalpha for one code point: general categories Lu, Ll, Lt, Lm, Lo.</summary>
    public static bool IsAlpha(Rune rune) => Rune.IsLetter(rune);

    /// <summary>len(): code points, a surrogate pair counting once.</summary>
    public static int Length(ReadOnlySpan<char> text)
    {
        int pairs = 0;
        int i;
        var rest = text;
        while ((i = rest.IndexOfAnyInRange('\uDC00', '\uDFFF')) >= 0)
        {
            // A low surrogate preceded by a high one is the second half of a pair; a lone one counts alone.
            int abs = text.Length - rest.Length + i;
            if (abs > 0 && char.IsHighSurrogate(text[abs - 1]))
            {
                pairs++;
            }
            rest = rest[(i + 1)..];
        }
        return text.Length - pairs;
    }

    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> s) => RStrip(LStrip(s));

    public static ReadOnlySpan<char> LStrip(ReadOnlySpan<char> s)
    {
        int i = 0;
        while (i < s.Length && IsSpace(s[i]))
        {
            i++;
        }
        return s[i..];
    }

    public static ReadOnlySpan<char> RStrip(ReadOnlySpan<char> s)
    {
        int e = s.Length;
        while (e > 0 && IsSpace(s[e - 1]))
        {
            e--;
        }
        return s[..e];
    }

    /// <summary>Whether the text has any non-whitespace character (Python: s.strip() != "").</summary>
    public static bool HasNonSpace(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!IsSpace(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>str.count(sub): non-overlapping occurrences, scanning left to right.</summary>
    public static int Count(ReadOnlySpan<char> text, ReadOnlySpan<char> sub)
    {
        int n = 0;
        int i;
        while ((i = text.IndexOf(sub, StringComparison.Ordinal)) >= 0)
        {
            n++;
            text = text[(i + sub.Length)..];
        }
        return n;
    }

    /// <summary>str.split() with no argument: runs of Unicode whitespace separate, no empty parts.</summary>
    public static List<Range> SplitWhitespace(ReadOnlySpan<char> s)
    {
        var parts = new List<Range>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSpace(s[i]))
            {
                i++;
            }
            int start = i;
            while (i < s.Length && !IsSpace(s[i]))
            {
                i++;
            }
            if (i > start)
            {
                parts.Add(start..i);
            }
        }
        return parts;
    }

    /// <summary>
    /// str.lower(). .NET's invariant simple mapping agrees with Python's full mapping except for
    /// U+0130 (İ → "i̇", two code points) and the final-sigma rule; İ is handled, final sigma is
    /// not (deliberate: only ASCII substrings are ever searched in the lowered text).
    /// </summary>
    public static string Lower(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('\u0130') < 0)
        {
            return string.Create(s.Length, s.ToString(), static (dst, src) => src.AsSpan().ToLowerInvariant(dst));
        }
        var sb = new StringBuilder(s.Length + 8);
        foreach (char c in s)
        {
            if (c == '\u0130')
            {
                sb.Append("i\u0307");
            }
            else
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }
        return sb.ToString();
    }

    /// <summary>unicodedata.category(c).startswith("P") for every code point (spaCy's is_punct).</summary>
    public static bool IsAllPunctuation(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return true;
        }
        foreach (var r in s.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(r))
            {
                case UnicodeCategory.ConnectorPunctuation:
                case UnicodeCategory.DashPunctuation:
                case UnicodeCategory.OpenPunctuation:
                case UnicodeCategory.ClosePunctuation:
                case UnicodeCategory.InitialQuotePunctuation:
                case UnicodeCategory.FinalQuotePunctuation:
                case UnicodeCategory.OtherPunctuation:
                    break;
                default:
                    return false;
            }
        }
        return true;
    }
}
