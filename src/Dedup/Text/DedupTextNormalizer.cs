using System.Globalization;
using System.Text;

namespace DataPipeline.Dedup.Text;

/// <summary>
/// The text simplification datatrove applies before MinHash shingling (<c>simplify_text</c> with the
/// default <c>TextNormConfig</c>, src/datatrove/utils/text.py at HEAD), in its order:
/// Python <c>str.lower()</c>; digit runs (any script, one optional decimal part) to "0"; datatrove's
/// PUNCTUATION characters to spaces; strip and collapse Python-<c>\s</c> runs to one space; NFD and
/// drop every non-spacing mark (Mn); strip.
/// </summary>
/// <remarks>
/// Kept small and self-contained on purpose: src/Filtering is porting datatrove's text primitives
/// at the same time, and the two should be unified once both land (same PUNCTUATION table, same
/// Python whitespace and lowercasing rules). Known differences from CPython: .NET's Unicode tables
/// may be a newer Unicode version than the Python that ran datatrove, and the Final_Sigma test uses
/// general categories for "cased" (CPython also counts Other_Lowercase/Other_Uppercase, e.g. ª, ʰ).
/// </remarks>
public static class DedupTextNormalizer
{
    /// <summary>datatrove's PUNCTUATION string (66 visible characters) plus control characters 0–8, 11–12, 13–31, 127–159.</summary>
    internal const string VisiblePunctuation = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»";

    private static readonly bool[] IsPunctuationTable = BuildPunctuationTable();

    public static string Normalize(string text)
    {
        var lowered = PythonText.Lower(text);
        var numbers = ReplaceNumbers(lowered);
        var spaced = PunctuationToSpaceAndCollapse(numbers);
        var stripped = RemoveNonSpacingMarks(spaced);
        return PythonText.Strip(stripped);
    }

    internal static bool IsPunctuation(char c) => IsPunctuationTable[c];

    private static bool[] BuildPunctuationTable()
    {
        var table = new bool[char.MaxValue + 1];
        foreach (var c in VisiblePunctuation)
        {
            table[c] = true;
        }
        // range(0,9), range(11,13), range(13,32), range(127,160): tab (9) and LF (10) stay.
        for (int c = 0; c < 9; c++) table[c] = true;
        for (int c = 11; c < 32; c++) table[c] = true;
        for (int c = 127; c < 160; c++) table[c] = true;
        return table;
    }

    /// <summary><c>regex.sub(r"\p{Nd}+([.,،٫⎖⎗⎘]{1}\p{Nd}+)?", "0", text)</c>, over code points (so astral digits count too).</summary>
    private static string ReplaceNumbers(string text)
    {
        StringBuilder? sb = null;
        int i = 0, copiedUpTo = 0;
        while (i < text.Length)
        {
            int end = SkipDigits(text, i);
            if (end == i)
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
                continue;
            }
            if (end < text.Length && IsDecimalSeparator(text[end]))
            {
                int afterFraction = SkipDigits(text, end + 1);
                if (afterFraction > end + 1)
                {
                    end = afterFraction;
                }
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copiedUpTo, i - copiedUpTo).Append('0');
            i = copiedUpTo = end;
        }
        if (sb is null)
        {
            return text;
        }
        return sb.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && Rune.TryGetRuneAt(text, i, out var r) && Rune.GetUnicodeCategory(r) == UnicodeCategory.DecimalDigitNumber)
        {
            i += r.Utf16SequenceLength;
        }
        return i;
    }

    internal static bool IsDecimalSeparator(char c) => c is '.' or ',' or '\u060C' or '\u066B' or '\u2396' or '\u2397' or '\u2398';

    /// <summary>Punctuation to spaces, then <c>re.sub(r"\s+", " ", text.strip())</c>, in one pass.</summary>
    private static string PunctuationToSpaceAndCollapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (var ch in text)
        {
            var c = IsPunctuationTable[ch] ? ' ' : ch;
            if (PythonText.IsSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>NFD</c>, then drop category Mn — per code point from a table generated out of CPython's unicodedata
    /// (DiacriticsTable.g.cs), because string.Normalize does nothing under InvariantGlobalization. Hangul
    /// syllables decompose algorithmically into their jamo, as NFD does. Difference: NFD's canonical
    /// reordering is skipped; it can only change the order of two adjacent spacing combining marks (Mc)
    /// with different non-zero combining classes, since every Mn is dropped anyway.
    /// </summary>
    internal static string RemoveNonSpacingMarks(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.EnumerateRunes())
        {
            int cp = r.Value;
            if (cp < 0xC0)
            {
                sb.Append((char)cp); // ASCII and Latin-1 punctuation: no decomposition, no marks
                continue;
            }
            if (cp is >= 0xAC00 and <= 0xD7A3)
            {
                int s = cp - 0xAC00;
                sb.Append((char)(0x1100 + s / 588)).Append((char)(0x1161 + s % 588 / 28));
                if (s % 28 != 0) sb.Append((char)(0x11A7 + s % 28));
                continue;
            }
            if (IsMark(cp)) continue;
            if (Decompositions.TryGetValue(cp, out var replacement)) sb.Append(replacement);
            else sb.Append(r.ToString());
        }
        return sb.ToString();
    }

    private static readonly Dictionary<int, string> Decompositions = BuildDecompositions();

    private static Dictionary<int, string> BuildDecompositions()
    {
        var map = new Dictionary<int, string>(DiacriticsTable.DecomposedCodePoints.Length);
        for (int i = 0; i < DiacriticsTable.DecomposedCodePoints.Length; i++)
        {
            map[DiacriticsTable.DecomposedCodePoints[i]] = DiacriticsTable.Replacements[i];
        }
        return map;
    }

    private static bool IsMark(int cp)
    {
        var ranges = DiacriticsTable.MarkRanges;
        int lo = 0, hi = ranges.Length / 2 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (cp < ranges[2 * mid]) hi = mid - 1;
            else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
