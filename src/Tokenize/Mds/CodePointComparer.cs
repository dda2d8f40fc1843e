namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Orders strings by Unicode code point, as Python's <c>sorted</c> does. Plain ordinal comparison
/// orders UTF-16 code units, which puts astral characters (surrogates, 0xD800-0xDFFF) before
/// U+E000-U+FFFF; upstream's column order and <c>sort_keys</c> would then disagree with ours.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    private CodePointComparer() { }

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            char a = x[i];
            char b = y[i];
            if (a != b)
            {
                return Fix(a) - Fix(b);
            }
        }
        return x.Length - y.Length;
    }

    // Moves surrogates above U+E000-U+FFFF so that unit order becomes code point order.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
