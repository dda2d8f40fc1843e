namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// spaCy 3's second pass over special cases (Tokenizer._apply_special_cases): a PhraseMatcher on
/// token texts finds runs of tokens that spell a special case as the affix rules alone would cut
/// it (e.g. "Mr" "." inside "Mr.Smith", ":" ")" inside "x:)"); matches are kept longest first,
/// then earliest, skipping any whose first or last token is taken; a kept run is replaced by the
/// special case's tokens only if its text, gaps included, equals the special case exactly.
/// </summary>
internal sealed class SpecialCaseMatcher
{
    private readonly Dictionary<string, List<(string Key, string[] Pattern)>> _byFirst = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Key, string[] Pattern)>>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SpecialCaseMatcher(IEnumerable<(string Key, string[] Pattern)> patterns)
    {
        foreach (var (key, pattern) in patterns)
        {
            if (pattern.Length == 0)
            {
                continue;
            }
            if (!_byFirst.TryGetValue(pattern[0], out var list))
            {
                _byFirst[pattern[0]] = list = [];
            }
            list.Add((key, pattern));
        }
        _lookup = _byFirst.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var first in _byFirst.Keys)
        {
            if (first.Length == 0)
            {
                continue;
            }
            if (first[0] >= 128)
            {
                _nonAsciiFirst = true;
            }
            else if (first.Length > MaxFilteredLength)
            {
                _longFirst = true;
            }
            else
            {
                _firstFilter[first.Length * 128 + first[0]] = true;
            }
        }
    }

    private const int MaxFilteredLength = 15;

    /// <summary>(length, first ASCII character) of every pattern's first token: most tokens are
    /// ruled out without hashing them.</summary>
    private readonly bool[] _firstFilter = new bool[(MaxFilteredLength + 1) * 128];

    /// <summary>Whether some first token starts with a non-ASCII character (those tokens are always looked up).</summary>
    private readonly bool _nonAsciiFirst;

    /// <summary>Whether some first token is longer than the filter covers (those tokens are always looked up).</summary>
    private readonly bool _longFirst;

    private bool MayStartPattern(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return false;
        }
        if (token[0] >= 128)
        {
            return _nonAsciiFirst;
        }
        return token.Length > MaxFilteredLength ? _longFirst : _firstFilter[token.Length * 128 + token[0]];
    }

    public void Apply(ReadOnlySpan<char> text, List<Token> tokens, IReadOnlyDictionary<string, string[]> specials)
    {
        List<(int Start, int End, string Key)>? matches = null;
        for (int i = 0; i < tokens.Count; i++)
        {
            var tokenText = text.Slice(tokens[i].Start, tokens[i].Length);
            if (!MayStartPattern(tokenText) || !_lookup.TryGetValue(tokenText, out var candidates))
            {
                continue;
            }
            foreach (var (key, pattern) in candidates)
            {
                if (i + pattern.Length > tokens.Count)
                {
                    continue;
                }
                bool ok = true;
                for (int j = 1; j < pattern.Length && ok; j++)
                {
                    ok = text.Slice(tokens[i + j].Start, tokens[i + j].Length).SequenceEqual(pattern[j]);
                }
                if (ok)
                {
                    (matches ??= []).Add((i, i + pattern.Length, key));
                }
            }
        }
        if (matches is null)
        {
            return;
        }
        // _filter_special_spans: longest first, then earliest start; only the end tokens are checked,
        // and every examined span marks its tokens as seen.
        matches.Sort((a, b) => (b.End - b.Start) != (a.End - a.Start) ? (b.End - b.Start).CompareTo(a.End - a.Start) : a.Start.CompareTo(b.Start));
        var seen = new HashSet<int>();
        var kept = new List<(int Start, int End, string Key)>();
        foreach (var m in matches)
        {
            if (!seen.Contains(m.Start) && !seen.Contains(m.End - 1))
            {
                kept.Add(m);
            }
            // Upstream marks the tokens of every examined span, kept or not.
            for (int k = m.Start; k < m.End; k++)
            {
                seen.Add(k);
            }
        }
        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        // Kept spans are disjoint: rebuild the list in one pass (replacing in place would move the
        // tail once per span).
        var rebuilt = new List<Token>(tokens.Count);
        int next = 0;
        foreach (var (start, end, key) in kept)
        {
            int charStart = tokens[start].Start;
            int charEnd = tokens[end - 1].End;
            if (!text.Slice(charStart, charEnd - charStart).SequenceEqual(key))
            {
                continue;
            }
            for (; next < start; next++)
            {
                rebuilt.Add(tokens[next]);
            }
            int pos = charStart;
            foreach (var piece in specials[key])
            {
                rebuilt.Add(new Token(pos, piece.Length, !Text.PyText.HasNonSpace(piece)));
                pos += piece.Length;
            }
            next = end;
        }
        for (; next < tokens.Count; next++)
        {
            rebuilt.Add(tokens[next]);
        }
        tokens.Clear();
        tokens.AddRange(rebuilt);
    }
}
