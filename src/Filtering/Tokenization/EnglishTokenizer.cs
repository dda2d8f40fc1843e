using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// A port of the tokenizer of spaCy's <c>spacy.blank("en")</c> (spacy/tokenizer.pyx, 3.7/3.8),
/// which datatrove's split_into_words and split_into_sentences use for English:
/// whitespace splitting where one ' ' after a token is absorbed and any other whitespace run is a
/// token of its own; per non-space chunk, special cases first, then prefixes and suffixes peeled
/// off in a loop (stopping early at a special case), then URL match or infix splitting; finally
/// the special-case matcher pass. Safe to share between threads.
/// <para>
/// Speed, without changing a token: (1) a per-thread cache of the affix pass per chunk, as spaCy
/// has (a chunk's affix tokens depend on nothing but its characters; the special-case matcher
/// still runs over the whole token list afterwards); (2) the prefix, suffix and infix rules run as
/// hand-written scanners over the same rule data (<see cref="AffixMatchers"/>, checked against
/// the regexes by the tests; the constructor still uses the regexes); (3) each rule is skipped
/// when a cheap test on the characters says it cannot match: no prefix rule starts with an ASCII
/// letter or digit except the currencies US$, C$ and A$; no suffix rule ends with an ASCII digit,
/// and one ending with an ASCII letter is 's / ’s or a unit after a digit; every infix rule
/// matches one of . + - * ^ , ~ : &lt; &gt; = / or a non-ASCII character; every URL has a '.'.
/// </para>
/// </summary>
public sealed class EnglishTokenizer
{
    private static readonly Lazy<EnglishTokenizer> SharedInstance = new(() => new EnglishTokenizer());

    private static readonly SearchValues<char> AsciiInfixCentres = SearchValues.Create(".+-*^,~:<>=/");

    /// <summary>Python str.isspace for the ASCII range, as a table.</summary>
    private static readonly bool[] AsciiSpace = BuildAsciiSpace();

    [ThreadStatic]
    private static ChunkCache? t_cache;

    [ThreadStatic]
    private static List<Token>? t_prefixes;

    [ThreadStatic]
    private static List<Token>? t_suffixes;

    private readonly Regex _prefix = EnglishTokenizerRules.Prefix();
    private readonly Regex _suffix = EnglishTokenizerRules.Suffix();
    private readonly Regex _infix = EnglishTokenizerRules.Infix();
    private readonly Regex _url = EnglishTokenizerRules.Url();
    private readonly Dictionary<string, string[]> _specials;
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _specialLookup;
    private readonly SpecialCaseMatcher _matcher;

    /// <summary>The affix rules as scanners (null while the constructor runs, which uses the regexes).</summary>
    private readonly AffixMatchers? _affixes;

    [ThreadStatic]
    private static List<(int Index, int Length)>? t_infixes;

    /// <summary>Which chunk hashes may be special cases (a chunk outside it is surely none).</summary>
    private readonly HashBloom _specialBloom = new();

    /// <summary>One instance per process is enough: building the regexes takes a moment.</summary>
    public static EnglishTokenizer Shared => SharedInstance.Value;

    public EnglishTokenizer()
        : this(fast: true)
    {
    }

    /// <summary>
    /// With <paramref name="fast"/> false: the plain port, regexes only, no shortcuts and no cache
    /// (the tests check the fast tokenizer against it token by token).
    /// </summary>
    internal EnglishTokenizer(bool fast)
    {
        _specials = EnglishTokenizerExceptions.Build();
        _specialLookup = _specials.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var key in _specials.Keys)
        {
            uint h = ChunkCache.Seed;
            foreach (char c in key)
            {
                h = ChunkCache.Step(h, c);
            }
            _specialBloom.Add(h);
            if (key.Length > 0)
            {
                int bit = ShapeBit(key);
                _specialShape[bit >> 6] |= 1UL << (bit & 63);
            }
        }
        var patterns = new List<(string, string[])>();
        var tokens = new List<Token>();
        foreach (var key in _specials.Keys)
        {
            if (FindPrefix(key) != 0 || FindSuffix(key) != 0 || _infix.IsMatch(key) || key.Contains(' ', StringComparison.Ordinal))
            {
                tokens.Clear();
                TokenizeAffixes(key, tokens, withSpecialCases: false, cache: null);
                patterns.Add((key, tokens.Select(t => key.Substring(t.Start, t.Length)).ToArray()));
            }
        }
        _matcher = new SpecialCaseMatcher(patterns);
        _affixes = fast ? new AffixMatchers() : null;
    }

    /// <summary>
    /// Empties this thread's chunk cache. The cache only memoises; benchmarks call this so that
    /// every timed pass starts as cold as a task's first document does.
    /// </summary>
    public static void ClearThreadCache() => t_cache?.Clear();

    /// <summary>All tokens of the text, whitespace tokens included (the sentencizer needs them).</summary>
    public List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        TokenizeInto(text, tokens);
        return tokens;
    }

    /// <summary>Like <see cref="Tokenize"/>, into a list the caller reuses (cleared first).</summary>
    public void TokenizeInto(ReadOnlySpan<char> text, List<Token> tokens)
    {
        tokens.Clear();
        TokenizeAffixes(text, tokens, withSpecialCases: true, _affixes is null ? null : t_cache ??= new ChunkCache());
        _matcher.Apply(text, tokens, _specials);
    }

    private static bool IsSpace(char c) => c < 128 ? AsciiSpace[c] : PyText.IsSpace(c);

    private const int KindSpace = 1;
    private const int KindLetter = 2;
    private const int KindDigit = 4;
    private const int KindOther = 8;

    /// <summary>Per ASCII character: whitespace (Python's), letter, digit or other.</summary>
    private static readonly byte[] AsciiKind = BuildAsciiKind();

    private static byte[] BuildAsciiKind()
    {
        var table = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = (byte)(PyText.IsSpace(c) ? KindSpace : char.IsAsciiLetter((char)c) ? KindLetter : char.IsAsciiDigit((char)c) ? KindDigit : KindOther);
        }
        return table;
    }

    /// <summary>
    /// Whether the last character of a chunk of ASCII letters plus one character is a suffix by
    /// itself: a one-character suffix literal (punctuation, quote), or "." after a lower-case
    /// letter or after two upper-case ones. No longer suffix can start inside the letters (only
    /// units and currencies after a digit start with a letter).
    /// </summary>
    private bool IsLoneSuffix(ReadOnlySpan<char> text, int start, int end)
    {
        char last = text[end - 1];
        if (last != '.')
        {
            return _affixes!.IsOneCharSuffixLiteral(last);
        }
        char before = text[end - 2];
        return char.IsAsciiLetterLower(before) || (char.IsAsciiLetterUpper(before) && end - 3 >= start && char.IsAsciiLetterUpper(text[end - 3]));
    }

    private static bool IsPlainWord(int kinds, char last) =>
        kinds == KindLetter || kinds == KindDigit || (kinds == (KindLetter | KindDigit) && char.IsAsciiDigit(last));

    private void TokenizeAffixes(ReadOnlySpan<char> text, List<Token> tokens, bool withSpecialCases, ChunkCache? cache)
    {
        int n = text.Length;
        if (n == 0)
        {
            return;
        }
        // Runs of whitespace and of non-whitespace alternate. A run boundary at character c starts
        // the next piece at c, except that one ' ' right after a non-space run is absorbed.
        bool inWs = IsSpace(text[0]);
        int start = 0;
        int i = 0;
        while (true)
        {
            int j = i;
            uint hash = ChunkCache.Seed;
            if (inWs)
            {
                while (j < n && IsSpace(text[j]))
                {
                    j++;
                }
                if (start < j)
                {
                    tokens.Add(new Token(start, j - start, true));
                }
            }
            else
            {
                int kinds = 0;
                int kindsBeforeLast = 0;
                uint hashBeforeLast = hash;
                while (j < n)
                {
                    char c = text[j];
                    int kind;
                    if (c < 128)
                    {
                        kind = AsciiKind[c];
                        if (kind == KindSpace)
                        {
                            break;
                        }
                    }
                    else if (PyText.IsSpace(c))
                    {
                        break;
                    }
                    else
                    {
                        kind = KindOther;
                    }
                    kindsBeforeLast = kinds;
                    hashBeforeLast = hash;
                    kinds |= kind;
                    hash = ChunkCache.Step(hash, c);
                    j++;
                }
                if (start < j)
                {
                    if (cache is not null && IsPlainWord(kinds, text[j - 1]) && !_specialBloom.MayContain(hash))
                    {
                        // ASCII letters, or digits, or both ending in a digit, and no special case:
                        // no prefix (only US$ C$ A$ start with a letter), no suffix (none ends with a
                        // digit; one ending in a letter needs an apostrophe or a unit after a digit),
                        // no URL (no '.'), no infix (no infix character): one token.
                        tokens.Add(new Token(start, j - start, false));
                    }
                    else if (cache is not null && kindsBeforeLast == KindLetter && IsLoneSuffix(text, start, j)
                        && !_specialBloom.MayContain(hash) && !_specialBloom.MayContain(hashBeforeLast))
                    {
                        // ASCII letters and one suffix character, neither the whole nor the letters a
                        // special case: the suffix comes off, the letters are a plain word (above).
                        tokens.Add(new Token(start, j - 1 - start, false));
                        tokens.Add(new Token(j - 1, 1, false));
                    }
                    else
                    {
                        Chunk(text, start, j, hash, tokens, withSpecialCases, cache);
                    }
                }
            }
            if (j == n)
            {
                return;
            }
            start = text[j] == ' ' && !inWs ? j + 1 : j;
            inWs = !inWs;
            i = j;
        }
    }

    private void Chunk(ReadOnlySpan<char> text, int start, int end, uint hash, List<Token> tokens, bool withSpecialCases, ChunkCache? cache)
    {
        var chunk = text[start..end];
        if (cache is not null && cache.TryAppend(chunk, hash, start, tokens))
        {
            return;
        }
        int before = tokens.Count;
        ChunkUncached(text, start, end, tokens, withSpecialCases);
        cache?.Add(chunk, hash, start, tokens, before);
    }

    private void ChunkUncached(ReadOnlySpan<char> text, int start, int end, List<Token> tokens, bool withSpecialCases)
    {
        if (withSpecialCases && TryAddSpecial(text, start, end, tokens))
        {
            return;
        }
        var prefixes = t_prefixes ??= [];
        var suffixes = t_suffixes ??= [];
        prefixes.Clear();
        suffixes.Clear();
        int s = start;
        int e = end;
        SplitAffixes(text, ref s, ref e, prefixes, suffixes, withSpecialCases);
        AttachTokens(text, s, e, prefixes, suffixes, tokens, withSpecialCases);
    }

    private bool IsSpecial(ReadOnlySpan<char> s) => MayBeSpecial(s) && _specialLookup.ContainsKey(s);

    /// <summary>A Bloom filter on (length, first, last character) of the special cases: most spans are ruled out without hashing.</summary>
    private readonly ulong[] _specialShape = new ulong[1 << 10];

    private static int ShapeBit(ReadOnlySpan<char> s) =>
        (int)((((uint)s.Length * 0x9E3779B1u) ^ (s[0] * 0x85EBCA77u) ^ (s[^1] * 0xC2B2AE3Du)) * 0x165667B1u >> 16);

    private bool MayBeSpecial(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return _specialLookup.ContainsKey(s);
        }
        int bit = ShapeBit(s);
        return (_specialShape[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private bool TryAddSpecial(ReadOnlySpan<char> text, int start, int end, List<Token> tokens)
    {
        if (!MayBeSpecial(text[start..end]) || !_specialLookup.TryGetValue(text[start..end], out var pieces))
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

    private void SplitAffixes(ReadOnlySpan<char> text, ref int s, ref int e, List<Token> prefixes, List<Token> suffixes, bool withSpecialCases)
    {
        int lastSize = -1;
        while (e > s && e - s != lastSize)
        {
            if (withSpecialCases && IsSpecial(text[s..e]))
            {
                break;
            }
            lastSize = e - s;
            int preLen = FindPrefix(text[s..e]);
            if (preLen != 0 && withSpecialCases && e - (s + preLen) > 0 && IsSpecial(text[(s + preLen)..e]))
            {
                prefixes.Add(new Token(s, preLen, false));
                s += preLen;
                break;
            }
            int sufLen = FindSuffix(text[(s + preLen)..e]);
            if (sufLen != 0 && withSpecialCases && e - sufLen - s > 0 && IsSpecial(text[s..(e - sufLen)]))
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
            if (withSpecialCases && e > s && IsSpecial(text[s..e]))
            {
                break;
            }
        }
    }

    private void AttachTokens(ReadOnlySpan<char> text, int s, int e, List<Token> prefixes, List<Token> suffixes, List<Token> tokens, bool withSpecialCases)
    {
        tokens.AddRange(prefixes);
        if (e > s)
        {
            var core = text[s..e];
            if (withSpecialCases && TryAddSpecial(text, s, e, tokens))
            {
            }
            else if ((_affixes is null || MayBeUrl(core)) && _url.IsMatch(core))
            {
                tokens.Add(new Token(s, e - s, false));
            }
            else if (_affixes is not null && !core.ContainsAny(AsciiInfixCentres) && Ascii.IsValid(core))
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

    /// <summary>
    /// A necessary condition of URL_MATCH: a host name ends in "." and a top-level domain of at
    /// least two lower-case letters ([{al}]{2,63}: a-z in ASCII; any non-ASCII character is let
    /// through), an IP address has three dots.
    /// </summary>
    private static bool MayBeUrl(ReadOnlySpan<char> core)
    {
        int dots = 0;
        for (int i = core.IndexOf('.'); i >= 0 && i < core.Length; i++)
        {
            if (core[i] != '.')
            {
                continue;
            }
            if (++dots >= 3)
            {
                return true;
            }
            if (i + 2 < core.Length && IsLowerOrNonAscii(core[i + 1]) && IsLowerOrNonAscii(core[i + 2]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsLowerOrNonAscii(char c) => c >= 128 || char.IsAsciiLetterLower(c);

    private void AddInfixSplit(ReadOnlySpan<char> core, int offset, List<Token> tokens)
    {
        var matches = t_infixes ??= [];
        FindInfixes(core, matches);
        int start = 0;
        bool any = false;
        foreach (var m in matches)
        {
            any = true;
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

    /// <summary>The infix matches of the core, in order (the regex's EnumerateMatches, or the scanner giving the same).</summary>
    internal void FindInfixes(ReadOnlySpan<char> core, List<(int Index, int Length)> matches)
    {
        if (_affixes is not null)
        {
            _affixes.Infixes(core, matches);
            return;
        }
        RegexInfixes(core, matches);
    }

    /// <summary>The infix regex's matches (the reference for <see cref="AffixMatchers.Infixes"/>).</summary>
    internal void RegexInfixes(ReadOnlySpan<char> core, List<(int Index, int Length)> matches)
    {
        matches.Clear();
        foreach (var m in _infix.EnumerateMatches(core))
        {
            matches.Add((m.Index, m.Length));
        }
    }

    /// <summary>The prefix regex's match length (the reference for <see cref="AffixMatchers.Prefix"/>).</summary>
    internal int RegexPrefix(ReadOnlySpan<char> s)
    {
        foreach (var m in _prefix.EnumerateMatches(s))
        {
            return m.Length;
        }
        return 0;
    }

    /// <summary>The suffix regex's match length searched from 0 (the reference for <see cref="AffixMatchers.Suffix"/>).</summary>
    internal int RegexSuffix(ReadOnlySpan<char> s)
    {
        foreach (var m in _suffix.EnumerateMatches(s))
        {
            return m.Length;
        }
        return 0;
    }

    /// <summary>The scanners the tokenizer uses (for tests).</summary>
    internal AffixMatchers Affixes => _affixes!;

    private int FindPrefix(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return 0;
        }
        // Of the prefix rules only the currencies US$, C$ and A$ start with an ASCII letter or digit.
        char first = s[0];
        if (_affixes is null)
        {
            return RegexPrefix(s);
        }
        if (char.IsAsciiLetterOrDigit(first) && first is not ('U' or 'C' or 'A'))
        {
            return 0;
        }
        return _affixes.Prefix(s);
    }

    private int FindSuffix(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return 0;
        }
        // No suffix rule ends with an ASCII digit; those ending with an ASCII letter are 's / 'S /
        // ’s / ’S and the units after a digit ([0-9] lookbehind).
        char last = s[^1];
        if (_affixes is null)
        {
            return RegexSuffix(s);
        }
        if (char.IsAsciiDigit(last))
        {
            return 0;
        }
        if (char.IsAsciiLetter(last)
            && !(last is 's' or 'S' && s.Length >= 2 && s[^2] is '\'' or '’')
            && !s.ContainsAnyInRange('0', '9'))
        {
            return 0;
        }
        return _affixes.Suffix(s);
    }

    private static bool[] BuildAsciiSpace()
    {
        var table = new bool[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = PyText.IsSpace(c);
        }
        return table;
    }

    /// <summary>A one-probe Bloom filter over 32-bit hashes (8 KB).</summary>
    private sealed class HashBloom
    {
        private readonly ulong[] _bits = new ulong[1 << 10];

        private static int Bit(uint hash) => (int)((hash * 0x9E3779B1u) >> 16);

        public void Add(uint hash)
        {
            int b = Bit(hash);
            _bits[b >> 6] |= 1UL << (b & 63);
        }

        public bool MayContain(uint hash)
        {
            int b = Bit(hash);
            return (_bits[b >> 6] & (1UL << (b & 63))) != 0;
        }
    }

    /// <summary>
    /// Memo of the affix pass per chunk (spaCy keeps the same cache): chunk characters → tokens
    /// relative to the chunk start. Open addressing over a character arena, no allocation per
    /// entry; emptied when full. Chunks longer than <see cref="MaxChunk"/> are not kept.
    /// </summary>
    private sealed class ChunkCache
    {
        public const uint Seed = 2166136261;
        private const int MaxChunk = 40;
        private const int SlotBits = 17;
        private const int MaxEntries = (1 << SlotBits) / 2;

        /// <summary>A slot: the chunk hash (high 32 bits) and entry number + 1 (low 32; 0: empty).</summary>
        private readonly ulong[] _slots = new ulong[1 << SlotBits];
        private readonly Entry[] _entries = new Entry[MaxEntries];
        private readonly char[] _chars = new char[MaxEntries * 12];
        private int[] _tokens = new int[MaxEntries * 2];
        private int _count;
        private int _charCount;
        private int _tokenCount;

        /// <summary>One cached chunk: where its characters and its tokens are (TokenCount 0: the chunk is one token).</summary>
        private struct Entry
        {
            public int KeyStart;
            public int TokenStart;
            public byte KeyLength;
            public byte TokenCount;
        }

        public static uint Step(uint hash, char c) => (hash ^ c) * 16777619;

        public void Clear()
        {
            Array.Clear(_slots);
            _count = 0;
            _charCount = 0;
            _tokenCount = 0;
        }

        private static int SlotOf(uint hash) => (int)((hash * 0x9E3779B1u) >> (32 - SlotBits));

        public bool TryAppend(ReadOnlySpan<char> chunk, uint hash, int offset, List<Token> tokens)
        {
            if (chunk.Length > MaxChunk)
            {
                return false;
            }
            int slot = SlotOf(hash);
            while (true)
            {
                ulong s = _slots[slot];
                if (s == 0)
                {
                    return false;
                }
                if ((uint)(s >> 32) == hash)
                {
                    ref var entry = ref _entries[(int)(uint)s - 1];
                    if (entry.KeyLength == chunk.Length && chunk.SequenceEqual(_chars.AsSpan(entry.KeyStart, chunk.Length)))
                    {
                        int count = entry.TokenCount;
                        if (count == 0)
                        {
                            tokens.Add(new Token(offset, chunk.Length, false));
                            return true;
                        }
                        int t = entry.TokenStart;
                        for (int k = 0; k < count; k++)
                        {
                            int packed = _tokens[t + k];
                            tokens.Add(new Token(offset + (packed & 0xFF), (packed >> 8) & 0xFF, (packed >> 16) != 0));
                        }
                        return true;
                    }
                }
                slot = (slot + 1) & ((1 << SlotBits) - 1);
            }
        }

        public void Add(ReadOnlySpan<char> chunk, uint hash, int offset, List<Token> tokens, int from)
        {
            int count = tokens.Count - from;
            if (chunk.Length > MaxChunk || count > 255)
            {
                return;
            }
            if (_count == MaxEntries || _charCount + chunk.Length > _chars.Length)
            {
                Clear();
            }
            bool whole = count == 1 && tokens[from].Start == offset && tokens[from].Length == chunk.Length && !tokens[from].IsSpace;
            if (!whole && _tokenCount + count > _tokens.Length)
            {
                Array.Resize(ref _tokens, _tokens.Length * 2);
            }
            int number = _count++;
            ref var entry = ref _entries[number];
            entry.KeyStart = _charCount;
            entry.KeyLength = (byte)chunk.Length;
            chunk.CopyTo(_chars.AsSpan(_charCount));
            _charCount += chunk.Length;
            if (whole)
            {
                entry.TokenCount = 0;
            }
            else
            {
                entry.TokenStart = _tokenCount;
                entry.TokenCount = (byte)count;
                for (int k = 0; k < count; k++)
                {
                    var tok = tokens[from + k];
                    _tokens[_tokenCount++] = (tok.Start - offset) | (tok.Length << 8) | ((tok.IsSpace ? 1 : 0) << 16);
                }
            }
            int slot = SlotOf(hash);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & ((1 << SlotBits) - 1);
            }
            _slots[slot] = ((ulong)hash << 32) | (uint)(number + 1);
        }
    }
}
