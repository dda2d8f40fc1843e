using System.Runtime.InteropServices;

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
        foreach (var list in _byFirst.Values)
        {
            foreach (var (_, pattern) in list)
            {
                var first = pattern[0];
                if (first.Length == 0)
                {
                    _emptyFirst = true;
                    continue;
                }
                int bit = pattern.Length == 1 || pattern[1].Length == 0
                    ? FilterBit(first.Length, first[0], first[^1], -1)
                    : FilterBit(first.Length, first[0], first[^1], pattern[1][0]);
                _filter[bit >> 6] |= 1UL << (bit & 63);
            }
        }
    }

    /// <summary>
    /// A Bloom filter on what a match needs at token i: (length, first and last character) of the
    /// token and the first character of the next token (-1 for one-token patterns, and patterns
    /// whose second token is empty). Most tokens are ruled out without hashing their text.
    /// </summary>
    private readonly ulong[] _filter = new ulong[1 << 10];

    /// <summary>Whether some pattern starts with an empty token (then every token is looked up).</summary>
    private readonly bool _emptyFirst;

    private static int FilterBit(int length, char first, char last, int next) =>
        (int)((((uint)length * 0x9E3779B1u) ^ (first * 0x85EBCA77u) ^ (last * 0xC2B2AE3Du) ^ ((uint)(next + 1) * 0x27D4EB2Fu)) * 0x165667B1u >> 16);

    private bool InFilter(int bit) => (_filter[bit >> 6] & (1UL << (bit & 63))) != 0;

    private bool MayStartMatch(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int i)
    {
        var t = tokens[i];
        if (t.Length == 0)
        {
            return _emptyFirst;
        }
        char first = text[t.Start];
        char last = text[t.Start + t.Length - 1];
        if (InFilter(FilterBit(t.Length, first, last, -1)))
        {
            return true;
        }
        if (i + 1 < tokens.Length && tokens[i + 1].Length > 0 && InFilter(FilterBit(t.Length, first, last, text[tokens[i + 1].Start])))
        {
            return true;
        }
        return false;
    }

    [ThreadStatic]
    private static List<(int Start, int End, string Key)>? t_matches;

    [ThreadStatic]
    private static List<(int Start, int End, string Key)>? t_kept;

    [ThreadStatic]
    private static int[]? t_seen;

    [ThreadStatic]
    private static int t_seenStamp;

    [ThreadStatic]
    private static List<Token>? t_rebuilt;

    public void Apply(ReadOnlySpan<char> text, List<Token> tokens, IReadOnlyDictionary<string, string[]> specials)
    {
        var matches = t_matches ??= [];
        matches.Clear();
        var all = CollectionsMarshal.AsSpan(tokens);
        for (int i = 0; i < all.Length; i++)
        {
            if (!MayStartMatch(text, all, i) || !_lookup.TryGetValue(text.Slice(all[i].Start, all[i].Length), out var candidates))
            {
                continue;
            }
            foreach (var (key, pattern) in candidates)
            {
                if (i + pattern.Length > all.Length)
                {
                    continue;
                }
                bool ok = true;
                for (int j = 1; j < pattern.Length && ok; j++)
                {
                    ok = text.Slice(all[i + j].Start, all[i + j].Length).SequenceEqual(pattern[j]);
                }
                if (ok)
                {
                    matches.Add((i, i + pattern.Length, key));
                }
            }
        }
        if (matches.Count == 0)
        {
            return;
        }
        // _filter_special_spans: longest first, then earliest start; only the end tokens are checked,
        // and every examined span marks its tokens as seen (a stamp per call: nothing to clear).
        matches.Sort(static (a, b) => (b.End - b.Start) != (a.End - a.Start) ? (b.End - b.Start).CompareTo(a.End - a.Start) : a.Start.CompareTo(b.Start));
        var seen = t_seen;
        if (seen is null || seen.Length < all.Length)
        {
            t_seen = seen = new int[Math.Max(all.Length, 256)];
            t_seenStamp = 0;
        }
        int stamp = ++t_seenStamp;
        if (stamp == int.MaxValue)
        {
            Array.Clear(seen);
            t_seenStamp = stamp = 1;
        }
        var kept = t_kept ??= [];
        kept.Clear();
        foreach (var m in matches)
        {
            if (seen[m.Start] != stamp && seen[m.End - 1] != stamp)
            {
                kept.Add(m);
            }
            // Upstream marks the tokens of every examined span, kept or not.
            for (int k = m.Start; k < m.End; k++)
            {
                seen[k] = stamp;
            }
        }
        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        // A kept span is replaced only if its text, gaps included, is the special case; most
        // replacements give back the very same tokens (the affix pass cut the chunk as the special
        // case does), and then nothing changes.
        bool changes = false;
        foreach (var (start, end, key) in kept)
        {
            if (Replaces(text, all, start, end, key, specials[key]))
            {
                changes = true;
                break;
            }
        }
        if (!changes)
        {
            return;
        }
        // Kept spans are disjoint: rebuild the list in one pass (replacing in place would move the
        // tail once per span).
        var rebuilt = t_rebuilt ??= [];
        rebuilt.Clear();
        int next = 0;
        foreach (var (start, end, key) in kept)
        {
            int charStart = all[start].Start;
            int charEnd = all[end - 1].End;
            if (!text.Slice(charStart, charEnd - charStart).SequenceEqual(key))
            {
                continue;
            }
            for (; next < start; next++)
            {
                rebuilt.Add(all[next]);
            }
            int pos = charStart;
            foreach (var piece in specials[key])
            {
                rebuilt.Add(new Token(pos, piece.Length, !Text.PyText.HasNonSpace(piece)));
                pos += piece.Length;
            }
            next = end;
        }
        for (; next < all.Length; next++)
        {
            rebuilt.Add(all[next]);
        }
        tokens.Clear();
        tokens.AddRange(rebuilt);
        if (rebuilt.Capacity > 1 << 20)
        {
            t_rebuilt = null;
        }
    }

    /// <summary>Whether replacing tokens [start, end) by the special case's pieces changes anything.</summary>
    private static bool Replaces(ReadOnlySpan<char> text, ReadOnlySpan<Token> all, int start, int end, string key, string[] pieces)
    {
        int charStart = all[start].Start;
        int charEnd = all[end - 1].End;
        if (!text.Slice(charStart, charEnd - charStart).SequenceEqual(key))
        {
            return false; // not replaced at all
        }
        if (pieces.Length != end - start)
        {
            return true;
        }
        int pos = charStart;
        for (int p = 0; p < pieces.Length; p++)
        {
            var t = all[start + p];
            if (t.Start != pos || t.Length != pieces[p].Length || t.IsSpace != !Text.PyText.HasNonSpace(pieces[p]))
            {
                return true;
            }
            pos += pieces[p].Length;
        }
        return false;
    }
}
