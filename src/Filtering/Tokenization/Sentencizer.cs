using System.Collections.Frozen;
using System.Text;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// spaCy's rule-based sentencizer (spacy/pipeline/sentencizer.pyx) with its default punct_chars:
/// the first token is a start; after a token whose text is one of punct_chars, the next token that
/// is neither punctuation (every character in a P* category) nor in punct_chars starts a sentence.
/// Whitespace tokens are not punctuation, so they can start a sentence, as upstream.
/// </summary>
public static class Sentencizer
{
    private static readonly int[] DefaultPunctCodePoints =
    [
        0x21, 0x2E, 0x3F, 0x589, 0x61F, 0x6D4, 0x700, 0x701, 0x702, 0x7F9, 0x964, 0x965, 0x104A, 0x104B, 0x1362,
        0x1367, 0x1368, 0x166E, 0x1735, 0x1736, 0x1803, 0x1809, 0x1944, 0x1945, 0x1AA8, 0x1AA9, 0x1AAA, 0x1AAB,
        0x1B5A, 0x1B5B, 0x1B5E, 0x1B5F, 0x1C3B, 0x1C3C, 0x1C7E, 0x1C7F, 0x203C, 0x203D, 0x2047, 0x2048, 0x2049,
        0x2E2E, 0x2E3C, 0xA4FF, 0xA60E, 0xA60F, 0xA6F3, 0xA6F7, 0xA876, 0xA877, 0xA8CE, 0xA8CF, 0xA92F, 0xA9C8,
        0xA9C9, 0xAA5D, 0xAA5E, 0xAA5F, 0xAAF0, 0xAAF1, 0xABEB, 0xFE52, 0xFE56, 0xFE57, 0xFF01, 0xFF0E, 0xFF1F,
        0x10A56, 0x10A57, 0x11047, 0x11048, 0x110BE, 0x110BF, 0x110C0, 0x110C1, 0x11141, 0x11142, 0x11143,
        0x111C5, 0x111C6, 0x111CD, 0x111DE, 0x111DF, 0x11238, 0x11239, 0x1123B, 0x1123C, 0x112A9, 0x1144B,
        0x1144C, 0x115C2, 0x115C3, 0x115C9, 0x115CA, 0x115CB, 0x115CC, 0x115CD, 0x115CE, 0x115CF, 0x115D0,
        0x115D1, 0x115D2, 0x115D3, 0x115D4, 0x115D5, 0x115D6, 0x115D7, 0x11641, 0x11642, 0x1173C, 0x1173D,
        0x1173E, 0x11A42, 0x11A43, 0x11A9B, 0x11A9C, 0x11C41, 0x11C42, 0x16A6E, 0x16A6F, 0x16AF5, 0x16B37,
        0x16B38, 0x16B44, 0x1BC9F, 0x1DA88, 0xFF61, 0x3002,
    ];

    private static readonly FrozenSet<int> PunctChars = DefaultPunctCodePoints.ToFrozenSet();

    /// <summary>Which ASCII characters are punctuation (a P* category), for the fast path of <see cref="IsAllPunctuation"/>.</summary>
    private static readonly bool[] AsciiPunctuation = BuildAsciiPunctuation();

    private static bool[] BuildAsciiPunctuation()
    {
        var table = new bool[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = PyText.IsAllPunctuation(((char)c).ToString());
        }
        return table;
    }

    private static bool IsPunctChar(ReadOnlySpan<char> token)
    {
        if (token.Length == 1 && token[0] < 128)
        {
            return token[0] is '!' or '.' or '?';
        }
        if (token.IsEmpty || Rune.DecodeFromUtf16(token, out var r, out int used) != System.Buffers.OperationStatus.Done || used != token.Length)
        {
            return false;
        }
        return PunctChars.Contains(r.Value);
    }

    /// <summary>spaCy's is_punct: every code point in a P* category (ASCII by table).</summary>
    private static bool IsAllPunctuation(ReadOnlySpan<char> token)
    {
        foreach (char c in token)
        {
            if (c >= 128)
            {
                return PyText.IsAllPunctuation(token);
            }
            if (!AsciiPunctuation[c])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Indices of the tokens that start a sentence.</summary>
    public static List<int> SentenceStarts(string text, IReadOnlyList<Token> tokens) => SentenceStarts(text.AsSpan(), tokens);

    /// <summary>Indices of the tokens that start a sentence.</summary>
    public static List<int> SentenceStarts(ReadOnlySpan<char> text, IReadOnlyList<Token> tokens)
    {
        var starts = new List<int>();
        if (tokens.Count == 0)
        {
            return starts;
        }
        starts.Add(0);
        bool seenPeriod = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (StartsSentence(text.Slice(tokens[i].Start, tokens[i].Length), ref seenPeriod) && i != 0)
            {
                starts.Add(i);
            }
        }
        return starts;
    }

    /// <summary>
    /// The sentencizer's rule for one token: whether it starts a sentence (a token after one of
    /// punct_chars that is neither punctuation nor one of punct_chars), updating the state.
    /// </summary>
    private static bool StartsSentence(ReadOnlySpan<char> t, ref bool seenPeriod)
    {
        bool isPunctChar = IsPunctChar(t);
        if (seenPeriod && !isPunctChar && !IsAllPunctuation(t))
        {
            seenPeriod = false;
            return true;
        }
        if (isPunctChar)
        {
            seenPeriod = true;
        }
        return false;
    }

    /// <summary>len(split_into_sentences(text)): sentences that are not empty once stripped.</summary>
    public static int CountSentences(string text, IReadOnlyList<Token> tokens) => CountSentences(text.AsSpan(), tokens);

    /// <summary>len(split_into_sentences(text)): sentences that are not empty once stripped (one pass, no list).</summary>
    public static int CountSentences(ReadOnlySpan<char> text, IReadOnlyList<Token> tokens)
    {
        int count = 0;
        bool seenPeriod = false;
        bool hasWord = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (StartsSentence(text.Slice(token.Start, token.Length), ref seenPeriod) && i != 0)
            {
                count += hasWord ? 1 : 0;
                hasWord = false;
            }
            hasWord |= !token.IsSpace;
        }
        return count + (hasWord ? 1 : 0);
    }
}
