using System.Globalization;
using System.Text;

namespace DataPipeline.Dedup.Text;

/// <summary>
/// The few CPython <c>str</c> semantics datatrove's normalisation depends on and .NET does differently:
/// full lowercasing (<c>İ</c> → <c>i̇</c>, Final_Sigma) and the <c>str.isspace</c> whitespace set.
/// </summary>
internal static class PythonText
{
    /// <summary>CPython <c>str.isspace</c> (also what <c>re</c>'s <c>\s</c> and <c>str.strip()</c> use) for BMP characters.</summary>
    public static bool IsSpace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\x1c' and <= ' ' => true,
        '\x85' or '\xa0' or '\u1680' or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    public static string Strip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start])) start++;
        while (end > start && IsSpace(s[end - 1])) end--;
        return start == 0 && end == s.Length ? s : s[start..end];
    }

    /// <summary>CPython <c>str.lower()</c>: simple lowercase mapping plus SpecialCasing's unconditional İ and the Final_Sigma context.</summary>
    public static string Lower(string text)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (!Rune.TryGetRuneAt(text, i, out var r))
            {
                sb.Append(text[i]); // lone surrogate: Python keeps it as is
                i++;
                continue;
            }
            if (r.Value == 0x130)
            {
                sb.Append("i\u0307");
            }
            else if (r.Value == 0x3A3)
            {
                sb.Append(IsFinalSigma(text, i) ? 'ς' : 'σ');
            }
            else
            {
                sb.Append(Rune.ToLowerInvariant(r).ToString());
            }
            i += r.Utf16SequenceLength;
        }
        return sb.ToString();
    }

    // \p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased}), read on the original text as CPython does.
    private static bool IsFinalSigma(string text, int index)
    {
        int j = index;
        Rune before = default;
        bool found = false;
        while (j > 0)
        {
            int start = j - 1;
            if (char.IsLowSurrogate(text[start]) && start > 0 && char.IsHighSurrogate(text[start - 1])) start--;
            if (!Rune.TryGetRuneAt(text, start, out var r)) return false;
            j = start;
            if (!IsCaseIgnorable(r))
            {
                before = r;
                found = true;
                break;
            }
        }
        if (!found || !IsCased(before)) return false;
        int k = index + 1;
        while (k < text.Length)
        {
            if (!Rune.TryGetRuneAt(text, k, out var r)) return true;
            if (!IsCaseIgnorable(r)) return !IsCased(r);
            k += r.Utf16SequenceLength;
        }
        return true;
    }

    private static bool IsCased(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || r.Value is '\'' or '.' or ':' or '^' or '`' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
