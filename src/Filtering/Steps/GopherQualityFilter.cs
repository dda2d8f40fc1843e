using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Text;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Steps;

/// <summary>GopherQualityFilter's settings, upstream defaults; 0 turns a rule off (upstream: None or 0).</summary>
public sealed record GopherQualityOptions
{
    public static readonly IReadOnlyList<string> DefaultStopWords = ["the", "be", "to", "of", "and", "that", "have", "with"];

    public int MinDocWords { get; init; } = 50;
    public int MaxDocWords { get; init; } = 100_000;
    public double MinAvgWordLength { get; init; } = 3;
    public double MaxAvgWordLength { get; init; } = 10;
    public double MaxSymbolWordRatio { get; init; } = 0.1;
    public double MaxBulletLinesRatio { get; init; } = 0.9;
    public double MaxEllipsisLinesRatio { get; init; } = 0.3;
    public double MaxNonAlphaWordsRatio { get; init; } = 0.8;
    public int MinStopWords { get; init; } = 2;
    public IReadOnlyList<string> StopWords { get; init; } = DefaultStopWords;
}

/// <summary>
/// datatrove's GopherQualityFilter (gopher_quality_filter.py; Rae et al. 2021), same checks in the
/// same order with the same reason strings. Words are split_into_words (spaCy English tokens);
/// "non-symbol" words have a character outside PUNCTUATION_SET; stop words are matched
/// case-sensitively. Difference: where upstream would divide by zero (no words at all, only
/// reachable with min_doc_words off), the ratio counts as 0 here instead of raising.
/// </summary>
public sealed class GopherQualityFilter(GopherQualityOptions options) : FilterStep
{
    private readonly HashSet<string> _stopWords = new(options.StopWords, StringComparer.Ordinal);
    private readonly int _minStopLength = options.StopWords.Count == 0 ? 0 : options.StopWords.Min(w => w.Length);
    private readonly int _maxStopLength = options.StopWords.Count == 0 ? 0 : options.StopWords.Max(w => w.Length);

    public override string Name => "gopher_quality";

    public override string? Check(Document document)
    {
        string text = document.Text;
        // The words are shared with the other word-level filters that see the same text next.
        var words = TextAnalysis.Of(text).Words;
        int nWords = words.Count;
        int nonSymbol = 0;
        long nonSymbolChars = 0;
        for (int i = 0; i < nWords; i++)
        {
            if (Punctuation.HasNonPunctuation(words[i]))
            {
                nonSymbol++;
                nonSymbolChars += words.LengthOf(i);
            }
        }
        if (options.MinDocWords != 0 && nonSymbol < options.MinDocWords)
        {
            return "gopher_short_doc";
        }
        if (options.MaxDocWords != 0 && nonSymbol > options.MaxDocWords)
        {
            return "gopher_long_doc";
        }
        // np.mean of an empty list is nan, and every comparison with nan is false.
        double avg = nonSymbol == 0 ? double.NaN : (double)nonSymbolChars / nonSymbol;
        if (options.MinAvgWordLength != 0 && avg < options.MinAvgWordLength)
        {
            return "gopher_below_avg_threshold";
        }
        if (options.MaxAvgWordLength != 0 && avg > options.MaxAvgWordLength)
        {
            return "gopher_above_avg_threshold";
        }
        if (options.MaxSymbolWordRatio != 0 && Ratio(text.AsSpan().Count('#'), nWords) > options.MaxSymbolWordRatio)
        {
            return "gopher_too_many_hashes";
        }
        if (options.MaxSymbolWordRatio != 0 && Ratio(PyText.Count(text, "...") + text.AsSpan().Count('\u2026'), nWords) > options.MaxSymbolWordRatio)
        {
            return "gopher_too_many_ellipsis";
        }
        if (options.MaxBulletLinesRatio != 0 || options.MaxEllipsisLinesRatio != 0)
        {
            // Both line counts in one pass over str.splitlines(); checked in upstream's order.
            int lines = 0;
            int bullets = 0;
            int ellipsis = 0;
            foreach (var line in LineSplitter.EnumerateLines(text))
            {
                lines++;
                var l = text.AsSpan()[line];
                var left = PyText.LStrip(l);
                if (left.StartsWith('\u2022') || left.StartsWith('-'))
                {
                    bullets++;
                }
                var right = PyText.RStrip(l);
                if (right.EndsWith("...") || right.EndsWith('\u2026'))
                {
                    ellipsis++;
                }
            }
            if (options.MaxBulletLinesRatio != 0 && Ratio(bullets, lines) > options.MaxBulletLinesRatio)
            {
                return "gopher_too_many_bullets";
            }
            if (options.MaxEllipsisLinesRatio != 0 && Ratio(ellipsis, lines) > options.MaxEllipsisLinesRatio)
            {
                return "gopher_too_many_end_ellipsis";
            }
        }
        if (options.MaxNonAlphaWordsRatio != 0)
        {
            int alphaWords = 0;
            for (int i = 0; i < nWords; i++)
            {
                if (HasAlpha(words[i]))
                {
                    alphaWords++;
                }
            }
            if (Ratio(alphaWords, nWords) < options.MaxNonAlphaWordsRatio)
            {
                return "gopher_below_alpha_threshold";
            }
        }
        if (options.MinStopWords != 0)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            var lookup = _stopWords.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int i = 0; i < nWords && found.Count < options.MinStopWords; i++)
            {
                var w = words[i];
                if (w.Length >= _minStopLength && w.Length <= _maxStopLength && lookup.TryGetValue(w, out var stop))
                {
                    found.Add(stop);
                }
            }
            if (found.Count < options.MinStopWords)
            {
                return "gopher_enough_stop_words";
            }
        }
        return null;
    }

    /// <summary>any(c.isalpha() for c in word), ASCII by a range test.</summary>
    private static bool HasAlpha(ReadOnlySpan<char> word)
    {
        for (int i = 0; i < word.Length; i++)
        {
            char c = word[i];
            if (c < 128)
            {
                if (char.IsAsciiLetter(c))
                {
                    return true;
                }
                continue;
            }
            foreach (var r in word[i..].EnumerateRunes())
            {
                if (PyText.IsAlpha(r))
                {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    private static double Ratio(long count, long total) => total == 0 ? 0 : (double)count / total;

    public static void Register(StepRegistry registry) =>
        registry.Register("gopher_quality", "datatrove GopherQualityFilter: word count, mean word length, symbol ratios, bullet/ellipsis lines, alphabetic words, stop words", p =>
        {
            var d = new GopherQualityOptions();
            return new GopherQualityFilter(new GopherQualityOptions
            {
                MinDocWords = p.GetInt("min_doc_words", d.MinDocWords),
                MaxDocWords = p.GetInt("max_doc_words", d.MaxDocWords),
                MinAvgWordLength = p.GetDouble("min_avg_word_length", d.MinAvgWordLength),
                MaxAvgWordLength = p.GetDouble("max_avg_word_length", d.MaxAvgWordLength),
                MaxSymbolWordRatio = p.GetDouble("max_symbol_word_ratio", d.MaxSymbolWordRatio),
                MaxBulletLinesRatio = p.GetDouble("max_bullet_lines_ratio", d.MaxBulletLinesRatio),
                MaxEllipsisLinesRatio = p.GetDouble("max_ellipsis_lines_ratio", d.MaxEllipsisLinesRatio),
                MaxNonAlphaWordsRatio = p.GetDouble("max_non_alpha_words_ratio", d.MaxNonAlphaWordsRatio),
                MinStopWords = p.GetInt("min_stop_words", d.MinStopWords),
                StopWords = p.GetStringList("stop_words", d.StopWords),
            });
        });
}
