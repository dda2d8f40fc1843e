using System.Globalization;
using System.Text;

namespace DataPipeline.Filtering.Text;

/// <summary>
/// unicodedata.normalize("NFD", s) for simplify_text, from the table in <see cref="NfdData"/>.
/// Difference: canonical reordering of combining marks is not done. simplify_text drops every Mn
/// character right after NFD, and only 25 code points are combining (ccc &gt; 0) without being
/// Mn, so the output differs only if two of those meet in one combining sequence.
/// </summary>
internal static class Nfd
{
    private static readonly Lazy<Dictionary<int, string>> Map = new(Load);

    private static Dictionary<int, string> Load()
    {
        var map = new Dictionary<int, string>();
        foreach (var entry in NfdData.Table.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            int cp = int.Parse(entry.AsSpan(0, eq), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var sb = new StringBuilder();
            foreach (var part in entry[(eq + 1)..].Split(' '))
            {
                sb.Append(char.ConvertFromUtf32(int.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
            map[cp] = sb.ToString();
        }
        return map;
    }

    public static string Decompose(string s)
    {
        var map = Map.Value;
        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            int cp = r.Value;
            if (cp is >= 0xAC00 and <= 0xD7A3)
            {
                // Hangul syllable: L + V (+ T), Unicode 3.12.
                int sIndex = cp - 0xAC00;
                sb.Append((char)(0x1100 + sIndex / 588));
                sb.Append((char)(0x1161 + sIndex % 588 / 28));
                if (sIndex % 28 != 0)
                {
                    sb.Append((char)(0x11A7 + sIndex % 28));
                }
            }
            else if (map.TryGetValue(cp, out var d))
            {
                sb.Append(d);
            }
            else
            {
                sb.Append(r.ToString());
            }
        }
        return sb.ToString();
    }
}
