using System.Text.RegularExpressions;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// A port of the tokenizer of spaCy's <c>spacy.blank("en")</c> (spacy/tokenizer.pyx, 3.7/3.8),
/// which datatrove's split_into_words and split_into_sentences use for English:
/// whitespace splitting where one ' ' after a token is absorbed and any other whitespace run is a
/// token of its own; per non-space chunk, special cases first, then prefixes and suffixes peeled
/// off in a loop (stopping early at a special case), then URL match or infix splitting; finally
/// the special-case matcher pass. The tokenizer cache is left out: it only memoises results.
/// Immutable after construction and safe to share between threads.
/// </summary>
public sealed class EnglishTokenizer
{
    private static readonly Lazy<EnglishTokenizer> SharedInstance = new(() => new EnglishTokenizer());

    private readonly Regex _prefix = EnglishTokenizerRules.Prefix();
    private readonly Regex _suffix = EnglishTokenizerRules.Suffix();
    private readonly Regex _infix = EnglishTokenizerRules.Infix();
    private readonly Regex _url = EnglishTokenizerRules.Url();
    private readonly Dictionary<string, string[]> _specials;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _specialLookup;
    private readonly SpecialCaseMatcher _matcher;

    /// <summary>One instance per process is enough: building the regexes takes a moment.</summary>
    public static EnglishTokenizer Shared => SharedInstance.Value;

    public EnglishTokenizer()
    {
        _specials = EnglishTokenizerExceptions.Build();
        _specialLookup = _specials.GetAlternateLookup<ReadOnlySpan<char>>();
        // add_special_case with faster_heuristics: only cases the affix rules would cut (or that
        // hold a space) go to the matcher, as the pieces the affix rules alone produce.
        var patterns = new List<(string, string[])>();
        foreach (var key in _specials.Keys)
        {
            if (FindPrefix(key) != 0 || FindSuffix(key) != 0 || _infix.IsMatch(key) || key.Contains(' ', StringComparison.Ordinal))
            {
                var tokens = new List<Token>();
                TokenizeAffixes(key, tokens, withSpecialCases: false);
                patterns.Add((key, tokens.Select(t => key.Substring(t.Start, t.Length)).ToArray()));
            }
        }
        _matcher = new SpecialCaseMatcher(patterns);
    }

    /// <summary>All tokens of the text, whitespace tokens included (the sentencizer needs them).</summary>
    /// <summary>Empties this thread's caches (benchmarks call it so every timed pass starts cold).</summary>
    public static void ClearThreadCache()
    {
    }

    public List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        TokenizeAffixes(text, tokens, withSpecialCases: true);
        _matcher.Apply(text, tokens, _specials);
        return tokens;
    }

    private void TokenizeAffixes(string text, List<Token> tokens, bool withSpecialCases)
    {
        if (text.Length == 0)
        {
            return;
        }
        // Python iterates code points; whitespace is always one UTF-16 unit, so units work here.
        bool inWs = PyText.IsSpace(text[0]);
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (PyText.IsSpace(c) != inWs)
            {
                if (start < i)
                {
                    Chunk(text, start, i, inWs, tokens, withSpecialCases);
                }
                start = c == ' ' ? i + 1 : i;
                inWs = !inWs;
            }
        }
        if (start < text.Length)
        {
            Chunk(text, start, text.Length, inWs, tokens, withSpecialCases);
        }
    }

    private void Chunk(string text, int start, int end, bool isSpace, List<Token> tokens, bool withSpecialCases)
    {
        if (isSpace)
        {
            // No affix rule, infix rule or URL pattern matches whitespace: always one token.
            tokens.Add(new Token(start, end - start, true));
            return;
        }
        if (withSpecialCases && TryAddSpecial(text, start, end, tokens))
        {
            return;
        }
        var prefixes = new List<Token>();
        var suffixes = new List<Token>();
        int s = start;
        int e = end;
        SplitAffixes(text, ref s, ref e, prefixes, suffixes, withSpecialCases);
        AttachTokens(text, s, e, prefixes, suffixes, tokens, withSpecialCases);
    }

    private bool IsSpecial(ReadOnlySpan<char> s) => _specialLookup.ContainsKey(s);

    private bool TryAddSpecial(string text, int start, int end, List<Token> tokens)
    {
        if (!_specialLookup.TryGetValue(text.AsSpan(start, end - start), out var pieces))
        {
            return false;
        }
        int pos = start;
        foreach (var piece in pieces)
        {
            tokens.Add(new Token(pos, piece.Length, !PyText.HasNonSpace(piece)));
            pos += piece.Length;
        }
        return true;
    }

    private void SplitAffixes(string text, ref int s, ref int e, List<Token> prefixes, List<Token> suffixes, bool withSpecialCases)
    {
        int lastSize = -1;
        while (e > s && e - s != lastSize)
        {
            if (withSpecialCases && IsSpecial(text.AsSpan(s, e - s)))
            {
                break;
            }
            lastSize = e - s;
            int preLen = FindPrefix(text.AsSpan(s, e - s));
            if (preLen != 0 && withSpecialCases && e - (s + preLen) > 0 && IsSpecial(text.AsSpan(s + preLen, e - s - preLen)))
            {
                prefixes.Add(new Token(s, preLen, false));
                s += preLen;
                break;
            }
            int sufLen = FindSuffix(text.AsSpan(s + preLen, e - s - preLen));
            if (sufLen != 0 && withSpecialCases && e - sufLen - s > 0 && IsSpecial(text.AsSpan(s, e - sufLen - s)))
            {
                suffixes.Add(new Token(e - sufLen, sufLen, false));
                e -= sufLen;
                break;
            }
            if (preLen != 0 && sufLen != 0 && preLen + sufLen <= e - s)
            {
                prefixes.Add(new Token(s, preLen, false));
                suffixes.Add(new Token(e - sufLen, sufLen, false));
                s += preLen;
                e -= sufLen;
            }
            else if (preLen != 0)
            {
                prefixes.Add(new Token(s, preLen, false));
                s += preLen;
            }
            else if (sufLen != 0)
            {
                suffixes.Add(new Token(e - sufLen, sufLen, false));
                e -= sufLen;
            }
            if (withSpecialCases && e > s && IsSpecial(text.AsSpan(s, e - s)))
            {
                break;
            }
        }
    }

    private void AttachTokens(string text, int s, int e, List<Token> prefixes, List<Token> suffixes, List<Token> tokens, bool withSpecialCases)
    {
        tokens.AddRange(prefixes);
        if (e > s)
        {
            var core = text.AsSpan(s, e - s);
            if (withSpecialCases && TryAddSpecial(text, s, e, tokens))
            {
                // special case hit
            }
            else if (_url.IsMatch(core))
            {
                tokens.Add(new Token(s, e - s, false));
            }
            else
            {
                AddInfixSplit(core, s, tokens);
            }
        }
        for (int i = suffixes.Count - 1; i >= 0; i--)
        {
            tokens.Add(suffixes[i]);
        }
    }

    private void AddInfixSplit(ReadOnlySpan<char> core, int offset, List<Token> tokens)
    {
        int start = 0;
        bool any = false;
        foreach (var m in _infix.EnumerateMatches(core))
        {
            any = true;
            // Upstream compares with the start before any infix (always 0): a match at 0 is skipped.
            if (m.Index == 0)
            {
                continue;
            }
            if (m.Index != start)
            {
                tokens.Add(new Token(offset + start, m.Index - start, false));
            }
            if (m.Length != 0)
            {
                tokens.Add(new Token(offset + m.Index, m.Length, false));
            }
            start = m.Index + m.Length;
        }
        if (!any)
        {
            tokens.Add(new Token(offset, core.Length, false));
            return;
        }
        if (start < core.Length)
        {
            tokens.Add(new Token(offset + start, core.Length - start, false));
        }
    }

    private int FindPrefix(ReadOnlySpan<char> s)
    {
        foreach (var m in _prefix.EnumerateMatches(s))
        {
            return m.Length;
        }
        return 0;
    }

    private int FindSuffix(ReadOnlySpan<char> s)
    {
        foreach (var m in _suffix.EnumerateMatches(s))
        {
            return m.Length;
        }
        return 0;
    }
}
