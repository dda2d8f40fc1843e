using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Text;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Steps;

/// <summary>C4QualityFilter's settings with upstream defaults; -1 turns a count off, as upstream.</summary>
public sealed record C4QualityOptions
{
    public bool SplitParagraph { get; init; } = true;
    public bool RemoveCitations { get; init; } = true;
    public bool FilterNoTerminalPunct { get; init; } = true;
    public int MinNumSentences { get; init; } = 5;
    public int MinWordsPerLine { get; init; } = 3;
    public int MaxWordLength { get; init; } = 1000;
    public bool FilterLoremIpsum { get; init; } = true;
    public bool FilterJavascript { get; init; } = true;
    public bool FilterCurlyBracket { get; init; } = true;
    public bool FilterPolicy { get; init; } = true;

    /// <summary>Optional bad-words check (C4BadWordsFilter); null = off, the upstream default of this filter.</summary>
    public C4BadWords? BadWords { get; init; }
}

/// <summary>
/// datatrove's C4QualityFilter (c4_filters.py): per line (str.splitlines, or spaCy sentences when
/// split_paragraph is off) strip, drop lines with a word over max_word_length, remove citations,
/// drop lines without terminal punctuation or ending in "...", drop short lines, drop the document
/// on "lorem ipsum" or "{", drop javascript and policy lines, and count sentences of kept lines
/// with spaCy's sentencizer. A kept document's text becomes its kept lines joined by "\n"
/// (" " for sentences) and stripped. Document-level checks only see lines that survived the
/// line checks before them, as upstream. The optional bad-words check runs first, on the
/// original text (upstream it is a separate filter, C4BadWordsFilter).
/// </summary>
public sealed class C4QualityFilter(C4QualityOptions options) : IPipelineStep
{
    private static readonly string[] PolicySubstrings =
        ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];

    public string Name => "c4_quality";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        foreach (var document in documents)
        {
            var reason = Apply(document);
            if (reason is null)
            {
                yield return document;
            }
            else
            {
                context.Reject(document, Name, reason);
            }
        }
    }

    /// <summary>The removal reason, or null after rewriting the document's text to its kept lines.</summary>
    public string? Apply(Document document)
    {
        if (options.BadWords is { } badWords && badWords.ShouldRemove(document.Text))
        {
            return C4BadWords.Reason;
        }
        var result = Filter(document.Text, out string kept);
        if (result is null)
        {
            document.Text = kept;
        }
        return result;
    }

    /// <summary>The pure decision: reason or null, and the text a kept document gets.</summary>
    public string? Filter(string text, out string keptText)
    {
        keptText = "";
        var lines = options.SplitParagraph
            ? LineSplitter.SplitLines(text).Select(r => text[r]).ToList()
            : Sentences(text);
        int numSentences = 0;
        var kept = new List<string>();
        foreach (var rawLine in lines)
        {
            string line = PyText.Strip(rawLine).ToString();
            var words = PyText.SplitWhitespace(line);
            if (options.MaxWordLength != -1 && words.Any(w => PyText.Length(line.AsSpan()[w]) > options.MaxWordLength))
            {
                continue;
            }
            if (options.RemoveCitations)
            {
                line = C4Patterns.Citation().Replace(line, "");
            }
            if (options.FilterNoTerminalPunct && (!EndsWithTerminal(line) || line.EndsWith("...", StringComparison.Ordinal)))
            {
                continue;
            }
            if (words.Count < options.MinWordsPerLine)
            {
                continue;
            }
            string lower = PyText.Lower(line);
            if (options.FilterLoremIpsum && lower.Contains("lorem ipsum", StringComparison.Ordinal))
            {
                return "lorem_ipsum";
            }
            if (options.FilterJavascript && lower.Contains("javascript", StringComparison.Ordinal))
            {
                continue;
            }
            if (options.FilterCurlyBracket && line.Contains('{', StringComparison.Ordinal))
            {
                return "curly_bracket";
            }
            if (options.FilterPolicy && PolicySubstrings.Any(p => lower.Contains(p, StringComparison.Ordinal)))
            {
                continue;
            }
            if (options.MinNumSentences != -1)
            {
                numSentences += options.SplitParagraph ? Sentencizer.CountSentences(line, EnglishTokenizer.Shared.Tokenize(line)) : 1;
            }
            kept.Add(line);
        }
        if (numSentences < options.MinNumSentences)
        {
            return "too_few_sentences";
        }
        keptText = PyText.Strip(string.Join(options.SplitParagraph ? "\n" : " ", kept)).ToString();
        return null;
    }

    private static bool EndsWithTerminal(string line) =>
        line.Length > 0 && line[^1] is '.' or '?' or '!' or '"' or '\'';

    /// <summary>split_into_sentences: sentencizer spans, stripped, empty ones dropped.</summary>
    private static List<string> Sentences(string text)
    {
        var tokens = EnglishTokenizer.Shared.Tokenize(text);
        var starts = Sentencizer.SentenceStarts(text, tokens);
        var result = new List<string>();
        for (int s = 0; s < starts.Count; s++)
        {
            int last = (s + 1 < starts.Count ? starts[s + 1] : tokens.Count) - 1;
            var span = PyText.Strip(text.AsSpan(tokens[starts[s]].Start, tokens[last].End - tokens[starts[s]].Start));
            if (!span.IsEmpty)
            {
                result.Add(span.ToString());
            }
        }
        return result;
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("c4_quality", "datatrove C4QualityFilter: line cleanup (terminal punctuation, short lines, javascript, policy, citations) and document checks; rewrites text to the kept lines", p =>
        {
            var d = new C4QualityOptions();
            string? badWordsFile = p.GetStringOrNull("bad_words_file");
            double keepFraction = p.GetDouble("bad_words_keep_fraction", 0.0);
            long? seed = p.Has("seed") ? p.GetLong("seed", 0) : null;
            if (!p.Has("seed"))
            {
                p.GetStringOrNull("seed");
            }
            return new C4QualityFilter(new C4QualityOptions
            {
                SplitParagraph = p.GetBool("split_paragraph", d.SplitParagraph),
                RemoveCitations = p.GetBool("remove_citations", d.RemoveCitations),
                FilterNoTerminalPunct = p.GetBool("filter_no_terminal_punct", d.FilterNoTerminalPunct),
                MinNumSentences = p.GetInt("min_num_sentences", d.MinNumSentences),
                MinWordsPerLine = p.GetInt("min_words_per_line", d.MinWordsPerLine),
                MaxWordLength = p.GetInt("max_word_length", d.MaxWordLength),
                FilterLoremIpsum = p.GetBool("filter_lorem_ipsum", d.FilterLoremIpsum),
                FilterJavascript = p.GetBool("filter_javascript", d.FilterJavascript),
                FilterCurlyBracket = p.GetBool("filter_curly_bracket", d.FilterCurlyBracket),
                FilterPolicy = p.GetBool("filter_policy", d.FilterPolicy),
                BadWords = badWordsFile is null ? null : C4BadWords.FromFile(badWordsFile, keepFraction, seed),
            });
        });
}
