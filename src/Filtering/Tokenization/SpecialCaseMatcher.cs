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
    }

    public void Apply(string text, List<Token> tokens, IReadOnlyDictionary<string, string[]> specials)
    {
        List<(int Start, int End, string Key)>? matches = null;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (!_lookup.TryGetValue(tokens[i].In(text), out var candidates))
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
                    ok = tokens[i + j].In(text).SequenceEqual(pattern[j]);
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
        // Replace from the back so earlier indices stay valid.
        for (int n = kept.Count - 1; n >= 0; n--)
        {
            var (start, end, key) = kept[n];
            int charStart = tokens[start].Start;
            int charEnd = tokens[end - 1].End;
            if (!text.AsSpan(charStart, charEnd - charStart).SequenceEqual(key))
            {
                continue;
            }
            var pieces = specials[key];
            var replacement = new Token[pieces.Length];
            int pos = charStart;
            for (int p = 0; p < pieces.Length; p++)
            {
                replacement[p] = new Token(pos, pieces[p].Length, !Text.PyText.HasNonSpace(pieces[p]));
                pos += pieces[p].Length;
            }
            tokens.RemoveRange(start, end - start);
            tokens.InsertRange(start, replacement);
        }
    }
}
