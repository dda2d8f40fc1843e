namespace DataPipeline.Sampling.Dsir.Text;

/// <summary>
/// nltk's <c>WordPunctTokenizer</c>: <c>re.findall(r"\w+|[^\w\s]+", text)</c> with Python's Unicode classes.
/// </summary>
/// <remarks>
/// The regex reduces to "maximal runs of word code points, and maximal runs of code points that
/// are neither word nor space", which is what this scans for, one code point at a time. A lone
/// surrogate is neither word nor space, as in Python. Tokens are reported as UTF-16 ranges of the
/// input, so nothing is allocated per token.
/// </remarks>
public static class WordPunctTokenizer
{
    private enum CharClass : byte
    {
        Space,
        Word,
        Other,
    }

    /// <summary>Finds the tokens of (already lowered) <paramref name="text"/> and writes their ranges into <paramref name="tokens"/>.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, TokenRanges tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        tokens.Clear();
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            CharClass cls = Classify(text, ref i);
            if (cls == CharClass.Space)
            {
                continue;
            }

            int end = i;
            while (i < text.Length)
            {
                int next = i;
                if (Classify(text, ref next) != cls)
                {
                    break;
                }

                i = next;
                end = i;
            }

            tokens.Add(start, end - start);
        }
    }

    /// <summary>Allocating convenience for tests and diagnostics.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ranges = new TokenRanges();
        Tokenize(text, ranges);
        var result = new string[ranges.Count];
        for (int t = 0; t < result.Length; t++)
        {
            result[t] = text.Substring(ranges.Start(t), ranges.Length(t));
        }

        return result;
    }

    private static CharClass Classify(ReadOnlySpan<char> text, ref int index)
    {
        char c = text[index];
        int cp;
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            cp = char.ConvertToUtf32(c, text[index + 1]);
            index += 2;
        }
        else
        {
            cp = c;
            index++;
        }

        return PythonUnicode.IsWord(cp) ? CharClass.Word : PythonUnicode.IsSpace(cp) ? CharClass.Space : CharClass.Other;
    }
}
