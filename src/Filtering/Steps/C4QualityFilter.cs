using System.Buffers;
using System.Text;
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

    /// <summary>Every phrase the line checks look for in the lowered line, for one ASCII case-insensitive scan.</summary>
    private static readonly SearchValues<string> LowerPhrases =
        SearchValues.Create(["lorem ipsum", "javascript", .. PolicySubstrings], StringComparison.OrdinalIgnoreCase);

    [ThreadStatic]
    private static Scratch? t_scratch;

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
        // An unchanged text keeps its string, so what later steps cached for it stays valid.
        if (result is null && !kept.AsSpan().SequenceEqual(document.Text))
        {
            document.Text = kept;
        }
        return result;
    }

    /// <summary>The pure decision: reason or null, and the text a kept document gets.</summary>
    public string? Filter(string text, out string keptText)
    {
        keptText = "";
        var scratch = t_scratch ??= new Scratch();
        var kept = scratch.Kept;
        kept.Clear();
        int numSentences = 0;
        string? reason = null;
        if (options.SplitParagraph)
        {
            foreach (var line in LineSplitter.EnumerateLines(text))
            {
                var (offset, length) = line.GetOffsetAndLength(text.Length);
                if ((reason = Line(text, offset, length, scratch, ref numSentences)) is not null)
                {
                    return reason;
                }
            }
        }
        else
        {
            foreach (var (offset, length) in Sentences(text))
            {
                if ((reason = Line(text, offset, length, scratch, ref numSentences)) is not null)
                {
                    return reason;
                }
            }
        }
        if (numSentences < options.MinNumSentences)
        {
            return "too_few_sentences";
        }
        keptText = Join(text, kept, options.SplitParagraph ? '\n' : ' ');
        return null;
    }

    /// <summary>
    /// One line of upstream's loop: a document-level reason, or null after adding the line to
    /// <see cref="Scratch.Kept"/> when it survives the line checks. The line checks that only drop
    /// the line have no other effect, so they run cheapest first; the document-level ones keep
    /// upstream's order.
    /// </summary>
    private string? Line(string text, int offset, int length, Scratch scratch, ref int numSentences)
    {
        var stripped = PyText.Strip(text.AsSpan(offset, length));
        offset += text.AsSpan(offset, length).Length - PyText.LStrip(text.AsSpan(offset, length)).Length;
        // words = line.split(), before citations are removed: its count decides min_words_per_line.
        int wordCount = CountWords(stripped, options.MaxWordLength, out bool tooLong);
        if (tooLong)
        {
            return null;
        }
        string? edited = null;
        ReadOnlySpan<char> line = stripped;
        if (options.RemoveCitations && stripped.Contains('['))
        {
            edited = C4Patterns.Citation().Replace(stripped.ToString(), "");
            line = edited;
        }
        if (options.FilterNoTerminalPunct && (!EndsWithTerminal(line) || line.EndsWith("...", StringComparison.Ordinal)))
        {
            return null;
        }
        if (wordCount < options.MinWordsPerLine)
        {
            return null;
        }
        // str.lower() then substring tests. On an all-ASCII line that is exactly an ASCII
        // case-insensitive search, and one vectorised scan for all the phrases rules out most lines.
        bool ascii = Ascii.IsValid(line);
        bool anyPhrase = !ascii || line.ContainsAny(LowerPhrases);
        string? lower = anyPhrase && !ascii ? PyText.Lower(line) : null;
        if (options.FilterLoremIpsum && anyPhrase && ContainsLower(line, lower, "lorem ipsum"))
        {
            return "lorem_ipsum";
        }
        if (options.FilterJavascript && anyPhrase && ContainsLower(line, lower, "javascript"))
        {
            return null;
        }
        if (options.FilterCurlyBracket && line.Contains('{'))
        {
            return "curly_bracket";
        }
        if (options.FilterPolicy && anyPhrase)
        {
            foreach (var phrase in PolicySubstrings)
            {
                if (ContainsLower(line, lower, phrase))
                {
                    return null;
                }
            }
        }
        // Sentences only matter until there are min_num_sentences: the count only grows.
        if (options.MinNumSentences != -1 && numSentences < options.MinNumSentences)
        {
            if (options.SplitParagraph)
            {
                EnglishTokenizer.Shared.TokenizeInto(line, scratch.Tokens);
                numSentences += Sentencizer.CountSentences(line, scratch.Tokens);
            }
            else
            {
                numSentences++;
            }
        }
        scratch.Kept.Add((edited, edited is null ? offset : 0, line.Length));
        return null;
    }

    private static bool ContainsLower(ReadOnlySpan<char> line, string? lower, string phrase) =>
        lower is null ? line.Contains(phrase, StringComparison.OrdinalIgnoreCase) : lower.Contains(phrase, StringComparison.Ordinal);

    /// <summary>len(line.split()), and whether a word is longer than maxWordLength code points (-1: no limit).</summary>
    private static int CountWords(ReadOnlySpan<char> line, int maxWordLength, out bool tooLong)
    {
        tooLong = false;
        bool checkLength = maxWordLength != -1 && line.Length > maxWordLength;
        int count = 0;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && PyText.IsSpace(line[i]))
            {
                i++;
            }
            int start = i;
            while (i < line.Length && !PyText.IsSpace(line[i]))
            {
                i++;
            }
            if (i > start)
            {
                count++;
                if (checkLength && i - start > maxWordLength && PyText.Length(line[start..i]) > maxWordLength)
                {
                    tooLong = true;
                }
            }
        }
        return count;
    }

    private static string Join(string text, List<(string? Edited, int Offset, int Length)> kept, char separator)
    {
        if (kept.Count == 0)
        {
            return "";
        }
        int total = kept.Count - 1;
        foreach (var k in kept)
        {
            total += k.Length;
        }
        var joined = string.Create(total, (text, kept, separator), static (dst, state) =>
        {
            int pos = 0;
            for (int i = 0; i < state.kept.Count; i++)
            {
                if (i > 0)
                {
                    dst[pos++] = state.separator;
                }
                var (edited, offset, length) = state.kept[i];
                (edited ?? state.text).AsSpan(offset, length).CopyTo(dst[pos..]);
                pos += length;
            }
        });
        var stripped = PyText.Strip(joined);
        return stripped.Length == joined.Length ? joined : stripped.ToString();
    }

    private static bool EndsWithTerminal(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] is '.' or '?' or '!' or '"' or '\'';

    /// <summary>split_into_sentences: sentencizer spans, stripped, empty ones dropped, as (offset, length) in the text.</summary>
    private static List<(int Offset, int Length)> Sentences(string text)
    {
        var tokens = EnglishTokenizer.Shared.Tokenize(text);
        var starts = Sentencizer.SentenceStarts(text, tokens);
        var result = new List<(int, int)>();
        for (int s = 0; s < starts.Count; s++)
        {
            int last = (s + 1 < starts.Count ? starts[s + 1] : tokens.Count) - 1;
            int start = tokens[starts[s]].Start;
            var span = text.AsSpan(start, tokens[last].End - start);
            var stripped = PyText.Strip(span);
            if (!stripped.IsEmpty)
            {
                result.Add((start + span.Length - PyText.LStrip(span).Length, stripped.Length));
            }
        }
        return result;
    }

    /// <summary>Per-thread buffers reused from document to document.</summary>
    private sealed class Scratch
    {
        public readonly List<Token> Tokens = [];
        public readonly List<(string? Edited, int Offset, int Length)> Kept = [];
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
