using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DataPipeline.Filtering.Text;

/// <summary>Which steps of datatrove's simplify_text run (TextNormConfig, same defaults).</summary>
public sealed record TextNormConfig(
    bool Lowercase = true,
    bool NormWhitespace = true,
    bool RemovePunctuation = true,
    bool NormUnicodeDiacritics = true,
    bool NormNumbers = true,
    bool NormWeekdays = false,
    bool NormMonthnames = false);

/// <summary>
/// datatrove's simplify_text (src/datatrove/utils/text.py at HEAD), in its order: lower, numbers
/// → "0", weekdays, month names, punctuation → space, whitespace runs → one space (after strip),
/// NFD minus Mn, strip. NFD comes from a table of Python 3.11's decompositions (see
/// <see cref="Nfd"/>); the Mn test uses .NET's category data, which may be a Unicode version
/// ahead of Python's for recently added characters.
/// </summary>
public static partial class TextNormalizer
{
    [GeneratedRegex(@"\p{Nd}+([.,\u060C\u066B\u2396\u2397\u2398]\p{Nd}+)?")]
    private static partial Regex Numbers();

    [GeneratedRegex("monday|tuesday|wednesday|thursday|friday|saturday|sunday")]
    private static partial Regex Weekdays();

    [GeneratedRegex("january|february|march|april|may|june|july|august|september|october|november|december")]
    private static partial Regex Months();

    public static string Simplify(string text, TextNormConfig? config = null)
    {
        config ??= new TextNormConfig();
        if (config.Lowercase)
        {
            text = PyText.Lower(text);
        }
        if (config.NormNumbers)
        {
            text = Numbers().Replace(text, "0");
        }
        if (config.NormWeekdays)
        {
            text = Weekdays().Replace(text, "WEEKDAY");
        }
        if (config.NormMonthnames)
        {
            text = Months().Replace(text, "MONTH");
        }
        if (config.RemovePunctuation)
        {
            text = ReplacePunctuation(text);
        }
        if (config.NormWhitespace)
        {
            text = CollapseWhitespace(PyText.Strip(text));
        }
        if (config.NormUnicodeDiacritics)
        {
            text = DropNonSpacingMarks(Nfd.Decompose(text));
        }
        return PyText.Strip(text).ToString();
    }

    private static string ReplacePunctuation(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var r in text.EnumerateRunes())
        {
            if (Punctuation.IsPunctuation(r.Value))
            {
                sb.Append(' ');
            }
            else
            {
                sb.Append(r.ToString());
            }
        }
        return sb.ToString();
    }

    /// <summary>re.sub(r"\s+", " ", s) with Python's Unicode \s.</summary>
    private static string CollapseWhitespace(ReadOnlySpan<char> s)
    {
        var sb = new StringBuilder(s.Length);
        bool inSpace = false;
        foreach (char c in s)
        {
            if (PyText.IsSpace(c))
            {
                if (!inSpace)
                {
                    sb.Append(' ');
                }
                inSpace = true;
            }
            else
            {
                sb.Append(c);
                inSpace = false;
            }
        }
        return sb.ToString();
    }

    private static string DropNonSpacingMarks(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(r) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(r.ToString());
            }
        }
        return sb.ToString();
    }
}
