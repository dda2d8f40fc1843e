namespace DataPipeline.Sampling.Dsir.Text;

/// <summary>
/// The character classes and case mapping of Python 3.11 (Unicode 14.0) that DSIR's tokenizer
/// runs on: <c>re</c>'s <c>\w</c> and <c>\s</c> and <c>str.lower()</c>.
/// </summary>
/// <remarks>
/// .NET's own <c>Regex</c> classes and <c>ToLowerInvariant</c> differ from Python's (non-BMP
/// letters, No/Nl numerics, Mn marks, U+001C..U+001F, U+0130, final sigma), so every property
/// here comes from tables generated from Python itself (see <c>generate_python_unicode_tables.py</c>).
/// A code point assigned after Unicode 14.0 is neither word nor space here, as in Python 3.11.
/// </remarks>
public static class PythonUnicode
{
    /// <summary>Unicode version of the tables (Python 3.11's).</summary>
    public const string UnicodeVersion = PythonUnicodeTables.UnicodeVersion;

    // BMP lookups are bitmaps/arrays built once (hot path: one load per char);
    // supplementary planes are rare in practice and use binary search over the ranges.
    private static readonly ulong[] WordBmp = BuildBmpBitmap(PythonUnicodeTables.WordRanges);
    private static readonly ulong[] SpaceBmp = BuildBmpBitmap(PythonUnicodeTables.SpaceRanges);
    private static readonly char[] LowerBmp = BuildLowerBmp();

    /// <summary>True where Python's <c>re</c> matches <c>\w</c> (str pattern, no re.ASCII).</summary>
    public static bool IsWord(int codePoint) =>
        (uint)codePoint < 0x10000 ? TestBit(WordBmp, codePoint) : InRanges(PythonUnicodeTables.WordRanges, codePoint);

    /// <summary>True where Python's <c>re</c> matches <c>\s</c> (includes U+001C..U+001F, unlike .NET).</summary>
    public static bool IsSpace(int codePoint) =>
        (uint)codePoint < 0x10000 ? TestBit(SpaceBmp, codePoint) : InRanges(PythonUnicodeTables.SpaceRanges, codePoint);

    /// <summary>Case_Ignorable, as Python's Final_Sigma rule uses it.</summary>
    public static bool IsCaseIgnorable(int codePoint) => InRanges(PythonUnicodeTables.CaseIgnorableRanges, codePoint);

    /// <summary>Cased and not Case_Ignorable: the only Cased code points the Final_Sigma rule ever tests.</summary>
    public static bool IsCasedNotIgnorable(int codePoint) => InRanges(PythonUnicodeTables.CasedNotIgnorableRanges, codePoint);

    /// <summary>
    /// Python's single-code-point lowercase of <paramref name="codePoint"/>. Not for U+0130 (two code
    /// points) or U+03A3 in a final position: <see cref="PythonLowercase"/> handles both.
    /// </summary>
    public static int LowerSingle(int codePoint)
    {
        if ((uint)codePoint < 0x10000)
        {
            return LowerBmp[codePoint];
        }

        var from = PythonUnicodeTables.LowerFrom;
        int i = from.BinarySearch(codePoint);
        return i >= 0 ? PythonUnicodeTables.LowerTo[i] : codePoint;
    }

    private static bool TestBit(ulong[] bitmap, int codePoint) => (bitmap[codePoint >> 6] & (1UL << (codePoint & 63))) != 0;

    private static bool InRanges(ReadOnlySpan<int> ranges, int codePoint)
    {
        // ranges = [first0, last0, first1, last1, ...], ascending and disjoint.
        int lo = 0, hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (codePoint < ranges[2 * mid])
            {
                hi = mid - 1;
            }
            else if (codePoint > ranges[(2 * mid) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static ulong[] BuildBmpBitmap(ReadOnlySpan<int> ranges)
    {
        var bits = new ulong[0x10000 / 64];
        for (int r = 0; r < ranges.Length; r += 2)
        {
            int last = Math.Min(ranges[r + 1], 0xFFFF);
            for (int cp = ranges[r]; cp <= last; cp++)
            {
                bits[cp >> 6] |= 1UL << (cp & 63);
            }
        }

        return bits;
    }

    private static char[] BuildLowerBmp()
    {
        var table = new char[0x10000];
        for (int cp = 0; cp < table.Length; cp++)
        {
            table[cp] = (char)cp;
        }

        var from = PythonUnicodeTables.LowerFrom;
        var to = PythonUnicodeTables.LowerTo;
        for (int i = 0; i < from.Length && from[i] < 0x10000; i++)
        {
            // The generator checked that no mapping crosses between the BMP and other planes.
            table[from[i]] = (char)to[i];
        }

        return table;
    }
}
