using System.Text.RegularExpressions;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// The affix and URL rules of spaCy's blank English pipeline: TOKENIZER_PREFIXES and
/// TOKENIZER_SUFFIXES from spacy/lang/punctuation.py, TOKENIZER_INFIXES from
/// spacy/lang/en/punctuation.py, URL_MATCH from spacy/lang/tokenizer_exceptions.py. Each piece is
/// written in .NET syntax in upstream order, because alternation order decides which rule wins.
/// Python's re and .NET agree on leftmost-first alternation and on lookbehind; the differences
/// handled here: astral ranges (see <see cref="CharClass"/>), and \s/\S/\w, spelled out with
/// Python's definitions.
/// </summary>
internal static class EnglishTokenizerRules
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static string Lit(string s) => Regex.Escape(s);

    private static string Alpha => SpacyCharClasses.Alpha.ToPattern();

    private static string AlphaLower => SpacyCharClasses.AlphaLower.ToPattern();

    private static string AlphaUpper => SpacyCharClasses.AlphaUpper.ToPattern();

    private static string Icons => SpacyCharClasses.Icons.ToPattern();

    private static CharClass ClassOf(params IEnumerable<string>[] literalLists)
    {
        var chars = string.Concat(literalLists.SelectMany(l => l));
        // Escape every char so CharClass.Parse reads them literally ('-' and '\' included).
        return CharClass.Parse(string.Concat(chars.Select(c => "\\" + c)));
    }

    private static IEnumerable<string> Ellipses => [@"\.\.+", Lit("…")];

    /// <summary>
    /// The class before a suffix "." (upstream: (?&lt;=[0-9{al}{e}{p}(?:{q})])\. with e=%²\-\+,
    /// p=PUNCT joined by "|" and q the quotes: everything lands inside one character class, so
    /// "|", "(", "?", ":" and ")" are members too, as they are upstream).
    /// </summary>
    public static readonly CharClass BeforeSuffixDot = CharClass.Union(
        CharClass.Parse("0-9"),
        SpacyCharClasses.AlphaLower,
        ClassOf(["%", "²", "-", "+"], [string.Join("|", SpacyCharClasses.Punct)], ["(?:", ")"], SpacyCharClasses.Quotes));

    /// <summary>Infix "." lookbehind: lower-case letters and quotes.</summary>
    public static readonly CharClass LowerOrQuote = CharClass.Union(SpacyCharClasses.AlphaLower, ClassOf(SpacyCharClasses.Quotes));

    /// <summary>Infix "." lookahead: upper-case letters and quotes.</summary>
    public static readonly CharClass UpperOrQuote = CharClass.Union(SpacyCharClasses.AlphaUpper, ClassOf(SpacyCharClasses.Quotes));

    /// <summary>Infix hyphen and [:&lt;&gt;=/] lookbehind: letters and ASCII digits.</summary>
    public static readonly CharClass AlphaOrDigit = CharClass.Union(SpacyCharClasses.Alpha, CharClass.Parse("0-9"));

    public static IReadOnlyList<string> PrefixPieces()
    {
        var pieces = new List<string> { Lit("§"), Lit("%"), Lit("="), Lit("—"), Lit("–"), @"\+(?![0-9])" };
        pieces.AddRange(SpacyCharClasses.Punct.Select(Lit));
        pieces.AddRange(Ellipses);
        pieces.AddRange(SpacyCharClasses.Quotes.Select(Lit));
        pieces.AddRange(SpacyCharClasses.Currency.Select(Lit));
        pieces.Add(Icons);
        return pieces;
    }

    public static IReadOnlyList<string> SuffixPieces()
    {
        var pieces = new List<string>();
        pieces.AddRange(SpacyCharClasses.Punct.Select(Lit));
        pieces.AddRange(Ellipses);
        pieces.AddRange(SpacyCharClasses.Quotes.Select(Lit));
        pieces.Add(Icons);
        pieces.AddRange(new[] { "'s", "'S", "’s", "’S", "—", "–" }.Select(Lit));
        pieces.Add(@"(?<=[0-9])\+");
        pieces.Add(@"(?<=°[FfCcKk])\.");
        pieces.Add("(?<=[0-9])(?:" + string.Join("|", SpacyCharClasses.Currency.Select(Lit)) + ")");
        pieces.Add("(?<=[0-9])(?:" + string.Join("|", SpacyCharClasses.Units.Select(Lit)) + ")");
        pieces.Add("(?<=" + BeforeSuffixDot.ToPattern() + @")\.");
        pieces.Add("(?<=" + AlphaUpper + AlphaUpper + @")\.");
        return pieces;
    }

    public static IReadOnlyList<string> InfixPieces()
    {
        var lowerOrQuote = LowerOrQuote.ToPattern();
        var upperOrQuote = UpperOrQuote.ToPattern();
        var alphaOrDigit = AlphaOrDigit.ToPattern();
        var pieces = new List<string>();
        pieces.AddRange(Ellipses);
        pieces.Add(Icons);
        pieces.Add(@"(?<=[0-9])[+\-\*^](?=[0-9-])");
        pieces.Add("(?<=" + lowerOrQuote + @")\.(?=" + upperOrQuote + ")");
        pieces.Add("(?<=" + Alpha + "),(?=" + Alpha + ")");
        pieces.Add("(?<=" + alphaOrDigit + ")(?:" + string.Join("|", SpacyCharClasses.Hyphens.Select(Lit)) + ")(?=" + Alpha + ")");
        pieces.Add("(?<=" + alphaOrDigit + ")[:<>=/](?=" + Alpha + ")");
        return pieces;
    }

    /// <summary>spacy.util.compile_prefix_regex: "^" before every piece, joined with "|".</summary>
    public static Regex Prefix() => new(string.Join("|", PrefixPieces().Select(p => "^" + p)), Options);

    /// <summary>spacy.util.compile_suffix_regex: "$" after every piece; searched, so the earliest start wins.</summary>
    public static Regex Suffix() => new(string.Join("|", SuffixPieces().Select(p => p + "$")), Options);

    public static Regex Infix() => new(string.Join("|", InfixPieces()), Options);

    // Python's \s is str.isspace (.NET's \s plus U+001C..U+001F); \w is str.isalnum or "_".
    private const string PyNotSpace = @"[^\s\x1C-\x1F]";
    private const string PyWord = @"[\p{L}\p{N}_]";

    /// <summary>
    /// URL_MATCH (spaCy 3.x, without the 2.x lookaround guards, which moved into the affix
    /// handling). [\u00a1-\uffff] excludes the surrogate block here: Python's class stops at the
    /// BMP, so an astral character never matched it.
    /// </summary>
    public static Regex Url()
    {
        const string hostChar = @"[A-Za-z0-9\u00a1-\ud7ff\ue000-\uffff]";
        const string hostCharOrDash = @"[A-Za-z0-9\u00a1-\ud7ff\ue000-\uffff_-]";
        string pattern =
            "^" +
            @"(?:(?:" + PyWord.TrimEnd(']') + @"\+\-\.]{2,})://)?" +
            @"(?:" + PyNotSpace + "+(?::" + PyNotSpace + "*)?@)?" +
            "(?:" +
            @"(?!(?:10|127)(?:\.\d{1,3}){3})" +
            @"(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})" +
            @"(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})" +
            @"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])" +
            @"(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}" +
            @"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))" +
            "|" +
            "(?:(?:" + hostChar + hostCharOrDash + "{0,62})?" + hostChar + @"\.)+" +
            "(?:" + AlphaLower + "{2,63})" +
            ")" +
            @"(?::\d{2,5})?" +
            "(?:[/?#]" + PyNotSpace + "*)?" +
            "$";
        return new Regex(pattern, Options);
    }
}
