using System.Buffers;
using System.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// The prefix, suffix and infix rules of <see cref="EnglishTokenizerRules"/> as hand-written
/// scanners over the same rule data, for the tokenizer's hot path (the regexes are large
/// alternations with astral character classes: the infix one is so big that the JIT compiles its
/// matcher without optimisation). Each gives exactly what the regex gives on a chunk (a run of
/// non-whitespace; no "\n" in it, so "$" is the end): the tests check them against the regexes.
/// <para>
/// How the regex semantics carry over: the prefix regex is "^p1|^p2|…", so the first piece in
/// order that matches at 0 decides. The suffix regex is "p1$|p2$|…", searched: the leftmost start
/// p from which some piece matches exactly to the end wins, its length is len - p whichever piece
/// it is. The infix regex is searched repeatedly: at each position the first piece in order that
/// matches, then the search goes on after the match. A lookbehind or lookahead on a class tests
/// the code point that ends before, or starts at, the position (a surrogate pair counts as one;
/// a lone surrogate is in no class: the classes' BMP parts hold no surrogates, checked here).
/// </para>
/// </summary>
internal sealed class AffixMatchers
{
    private readonly CodePointSet _icons = SpacyCharClasses.Icons.ToSet();
    private readonly CodePointSet _alpha = SpacyCharClasses.Alpha.ToSet();
    private readonly CodePointSet _alphaUpper = SpacyCharClasses.AlphaUpper.ToSet();
    private readonly CodePointSet _beforeSuffixDot = EnglishTokenizerRules.BeforeSuffixDot.ToSet();
    private readonly CodePointSet _lowerOrQuote = EnglishTokenizerRules.LowerOrQuote.ToSet();
    private readonly CodePointSet _upperOrQuote = EnglishTokenizerRules.UpperOrQuote.ToSet();
    private readonly CodePointSet _alphaOrDigit = EnglishTokenizerRules.AlphaOrDigit.ToSet();

    /// <summary>Prefix pieces that are literals or the special pieces, in upstream order, by first character.</summary>
    private readonly Dictionary<char, PrefixPiece[]> _prefixByFirst = [];

    /// <summary>Suffix literals that match with no condition (punctuation, quotes, 's, dashes).</summary>
    private readonly HashSet<string> _suffixLiterals;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _suffixLiteralLookup;

    /// <summary>Suffix literals that match only after an ASCII digit (currencies and units).</summary>
    private readonly HashSet<string> _suffixAfterDigit;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _suffixAfterDigitLookup;

    /// <summary>The longest suffix literal: no suffix but a dot run is longer.</summary>
    private readonly int _maxSuffixLiteral;

    /// <summary>Hyphen alternatives of the infix rule, in upstream order.</summary>
    private readonly string[] _hyphens = SpacyCharClasses.Hyphens;

    /// <summary>Characters that can start an infix match other than through the icon class.</summary>
    private readonly SearchValues<char> _infixStarts;

    private enum PrefixKind
    {
        Literal,
        PlusNotBeforeDigit,
        DotRun,
    }

    private readonly record struct PrefixPiece(PrefixKind Kind, string Literal);

    public AffixMatchers()
    {
        foreach (var set in new[] { _icons, _alpha, _alphaUpper, _beforeSuffixDot, _lowerOrQuote, _upperOrQuote, _alphaOrDigit })
        {
            if (set.HasSurrogates)
            {
                throw new InvalidOperationException("a tokenizer character class holds surrogates; the hand-written matchers assume none");
            }
        }
        // Prefix: "§ % = — –", \+(?![0-9]), PUNCT, ellipses (\.\.+ and …), QUOTES, CURRENCY, then icons.
        var prefix = new List<PrefixPiece>();
        prefix.AddRange(new[] { "§", "%", "=", "—", "–" }.Select(l => new PrefixPiece(PrefixKind.Literal, l)));
        prefix.Add(new PrefixPiece(PrefixKind.PlusNotBeforeDigit, "+"));
        prefix.AddRange(SpacyCharClasses.Punct.Select(l => new PrefixPiece(PrefixKind.Literal, l)));
        prefix.Add(new PrefixPiece(PrefixKind.DotRun, "."));
        prefix.Add(new PrefixPiece(PrefixKind.Literal, "…"));
        prefix.AddRange(SpacyCharClasses.Quotes.Select(l => new PrefixPiece(PrefixKind.Literal, l)));
        prefix.AddRange(SpacyCharClasses.Currency.Select(l => new PrefixPiece(PrefixKind.Literal, l)));
        foreach (var group in prefix.Where(p => p.Literal.Length > 0).GroupBy(p => p.Literal[0]))
        {
            _prefixByFirst[group.Key] = group.ToArray();
        }

        // Suffix: PUNCT, ellipses, QUOTES, icons, 's 'S ’s ’S — –, then the conditional pieces.
        _suffixLiterals = new HashSet<string>(
            SpacyCharClasses.Punct.Append("…").Concat(SpacyCharClasses.Quotes).Concat(["'s", "'S", "’s", "’S", "—", "–"]),
            StringComparer.Ordinal);
        _suffixLiteralLookup = _suffixLiterals.GetAlternateLookup<ReadOnlySpan<char>>();
        _suffixAfterDigit = new HashSet<string>(SpacyCharClasses.Currency.Concat(SpacyCharClasses.Units), StringComparer.Ordinal);
        _suffixAfterDigitLookup = _suffixAfterDigit.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var literal in _suffixLiterals)
        {
            if (literal.Length == 1 && literal[0] < 128)
            {
                _oneCharSuffix[literal[0]] = true;
            }
        }
        _maxSuffixLiteral = Math.Max(2, _suffixLiterals.Concat(_suffixAfterDigit).Max(l => l.Length));

        _infixStarts = SearchValues.Create(string.Concat(_hyphens.Select(h => h[0]).Distinct()) + ".…+*^,:<>=/");
    }

    /// <summary>ASCII characters that are a suffix literal on their own (punctuation and quotes).</summary>
    private readonly bool[] _oneCharSuffix = new bool[128];

    /// <summary>Whether <paramref name="c"/> is an ASCII character that is a whole suffix literal (a suffix after anything).</summary>
    public bool IsOneCharSuffixLiteral(char c) => c < 128 && _oneCharSuffix[c];

    /// <summary>Length of the prefix match at the start of <paramref name="s"/>, 0 if none.</summary>
    public int Prefix(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return 0;
        }
        if (_prefixByFirst.TryGetValue(s[0], out var pieces))
        {
            foreach (var piece in pieces)
            {
                switch (piece.Kind)
                {
                    case PrefixKind.Literal:
                        if (s.StartsWith(piece.Literal, StringComparison.Ordinal))
                        {
                            return piece.Literal.Length;
                        }
                        break;
                    case PrefixKind.PlusNotBeforeDigit:
                        if (s.Length == 1 || !char.IsAsciiDigit(s[1]))
                        {
                            return 1;
                        }
                        break;
                    case PrefixKind.DotRun:
                        int dots = 0;
                        while (dots < s.Length && s[dots] == '.')
                        {
                            dots++;
                        }
                        if (dots >= 2)
                        {
                            return dots;
                        }
                        break;
                }
            }
        }
        return CodePointAt(s, 0, out int used) is int cp && _icons.Contains(cp) ? used : 0;
    }

    /// <summary>Length of the suffix match at the end of <paramref name="s"/>, 0 if none.</summary>
    public int Suffix(ReadOnlySpan<char> s)
    {
        int n = s.Length;
        int dots = n;
        while (dots > 0 && s[dots - 1] == '.')
        {
            dots--;
        }
        // No piece but the dot run matches more than _maxSuffixLiteral units (an icon: at most 2).
        for (int p = Math.Max(0, Math.Min(n - _maxSuffixLiteral, dots)); p < n; p++)
        {
            if (SuffixMatchesFrom(s, p, dots))
            {
                return n - p;
            }
        }
        return 0;
    }

    private bool SuffixMatchesFrom(ReadOnlySpan<char> s, int p, int dots)
    {
        int n = s.Length;
        var tail = s[p..];
        if (char.IsAsciiLetterOrDigit(tail[0]))
        {
            // Only a currency or unit (after a digit) starts with an ASCII letter; none with a digit.
            return p >= 1 && char.IsAsciiDigit(s[p - 1]) && _suffixAfterDigitLookup.Contains(tail);
        }
        if (p >= dots && n - p >= 2)
        {
            return true; // \.\.+$
        }
        if (_suffixLiteralLookup.Contains(tail))
        {
            return true;
        }
        if (CodePointAt(s, p, out int used) is int cp && p + used == n && _icons.Contains(cp))
        {
            return true;
        }
        bool afterDigit = p >= 1 && char.IsAsciiDigit(s[p - 1]);
        if (afterDigit && _suffixAfterDigitLookup.Contains(tail))
        {
            return true; // (?<=[0-9])\+ is among these: "+" is no currency or unit, so it is tested below
        }
        if (tail.Length != 1)
        {
            return false;
        }
        char c = tail[0];
        if (c == '+')
        {
            return afterDigit;
        }
        if (c != '.')
        {
            return false;
        }
        // (?<=°[FfCcKk])\.
        if (p >= 2 && s[p - 2] == '°' && s[p - 1] is 'F' or 'f' or 'C' or 'c' or 'K' or 'k')
        {
            return true;
        }
        // (?<=[0-9{al}{e}{p}(?:{q})])\.
        if (CodePointBefore(s, p, out int before) is int b && _beforeSuffixDot.Contains(b))
        {
            return true;
        }
        // (?<=[{au}][{au}])\.
        return CodePointBefore(s, p, out before) is int u2 && _alphaUpper.Contains(u2)
            && CodePointBefore(s, p - before, out _) is int u1 && _alphaUpper.Contains(u1);
    }

    /// <summary>The infix matches of <paramref name="s"/> in order, as the regex's EnumerateMatches gives them, into <paramref name="matches"/>.</summary>
    public void Infixes(ReadOnlySpan<char> s, List<(int Index, int Length)> matches)
    {
        matches.Clear();
        int p = 0;
        while (p < s.Length)
        {
            int len = InfixAt(s, p);
            if (len > 0)
            {
                matches.Add((p, len));
                p += len;
            }
            else
            {
                p++;
            }
        }
    }

    private int InfixAt(ReadOnlySpan<char> s, int p)
    {
        char c = s[p];
        if (c < 128 && !_infixStarts.Contains(c))
        {
            return 0;
        }
        // \.\.+
        if (c == '.' && p + 1 < s.Length && s[p + 1] == '.')
        {
            int e = p + 2;
            while (e < s.Length && s[e] == '.')
            {
                e++;
            }
            return e - p;
        }
        if (c == '…')
        {
            return 1;
        }
        if (CodePointAt(s, p, out int used) is int cp && _icons.Contains(cp))
        {
            return used;
        }
        // (?<=[0-9])[+\-\*^](?=[0-9-])
        if (c is '+' or '-' or '*' or '^' && p >= 1 && char.IsAsciiDigit(s[p - 1])
            && p + 1 < s.Length && (char.IsAsciiDigit(s[p + 1]) || s[p + 1] == '-'))
        {
            return 1;
        }
        int? before = CodePointBefore(s, p, out _);
        // (?<=[{al}{q}])\.(?=[{au}{q}])
        if (c == '.')
        {
            return before is int b && _lowerOrQuote.Contains(b) && CodePointAt(s, p + 1, out _) is int a && _upperOrQuote.Contains(a) ? 1 : 0;
        }
        // (?<=[{a}]),(?=[{a}])
        if (c == ',')
        {
            return before is int b && _alpha.Contains(b) && CodePointAt(s, p + 1, out _) is int a && _alpha.Contains(a) ? 1 : 0;
        }
        if (before is not int prev || !_alphaOrDigit.Contains(prev))
        {
            return 0;
        }
        // (?<=[{a}0-9])(?:-|–|—|--|---|——|~)(?=[{a}]): the first alternative whose lookahead holds
        foreach (var h in _hyphens)
        {
            if (s[p..].StartsWith(h, StringComparison.Ordinal) && CodePointAt(s, p + h.Length, out _) is int a && _alpha.Contains(a))
            {
                return h.Length;
            }
        }
        // (?<=[{a}0-9])[:<>=/](?=[{a}])
        if (c is ':' or '<' or '>' or '=' or '/')
        {
            return CodePointAt(s, p + 1, out _) is int a && _alpha.Contains(a) ? 1 : 0;
        }
        return 0;
    }

    /// <summary>The code point starting at <paramref name="i"/> (a whole surrogate pair), or null past the end or at a lone surrogate.</summary>
    private static int? CodePointAt(ReadOnlySpan<char> s, int i, out int used)
    {
        used = 0;
        if (i >= s.Length)
        {
            return null;
        }
        if (Rune.DecodeFromUtf16(s[i..], out var r, out used) != OperationStatus.Done)
        {
            return null;
        }
        return r.Value;
    }

    /// <summary>The code point ending right before <paramref name="i"/>, or null at the start or after a lone surrogate.</summary>
    private static int? CodePointBefore(ReadOnlySpan<char> s, int i, out int used)
    {
        used = 0;
        if (i <= 0)
        {
            return null;
        }
        if (Rune.DecodeLastFromUtf16(s[..i], out var r, out used) != OperationStatus.Done)
        {
            return null;
        }
        return r.Value;
    }
}
