using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Text;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Steps;

/// <summary>FineWebQualityFilter's settings, upstream (HEAD) defaults.</summary>
public sealed record FineWebQualityOptions
{
    public double LinePunctThr { get; init; } = 0.12;
    public bool LinePunctExcludeZero { get; init; }
    /// <summary>Line endings that count as punctuated; default TERMINAL_PUNCTUATION (the FineWeb
    /// release used . ' " ! ? instead, set stop_chars for that).</summary>
    public IReadOnlyList<string> StopChars { get; init; } = Punctuation.Terminal;
    public double ShortLineThr { get; init; } = 0.67;
    public int ShortLineLength { get; init; } = 30;
    public double CharDuplicatesRatio { get; init; } = 0.01;
    public double NewLineRatio { get; init; } = 0.3;
}

/// <summary>
/// datatrove's FineWebQualityFilter (fineweb_quality_filter.py at HEAD): lines are text.split("\n")
/// without blank ones (unstripped, so trailing spaces make a line unpunctuated); then the
/// punctuated-line share, short-line share, duplicated-line characters over the text without
/// newlines, and newlines per word.
/// </summary>
public sealed class FineWebQualityFilter(FineWebQualityOptions options) : FilterStep
{
    /// <summary>When every stop string is one code point (the default): those code points, else null.</summary>
    private readonly FrozenSet<int>? _stopCodePoints = SingleCodePoints(options.StopChars);

    public override string Name => "fineweb_quality";

    public override string? Check(Document document)
    {
        string text = document.Text;
        var span = text.AsSpan();
        // Lines are text.split("\n") without blank ones; the counts come from one pass.
        int lineCount = 0;
        int punctuated = 0;
        int shortLines = 0;
        int newlines = 0;
        int pos = 0;
        while (true)
        {
            int nl = span[pos..].IndexOf('\n');
            int end = nl < 0 ? span.Length : pos + nl;
            var line = span[pos..end];
            if (PyText.HasNonSpace(line))
            {
                lineCount++;
                if (EndsWithStopChar(line))
                {
                    punctuated++;
                }
                if (line.Length <= options.ShortLineLength || PyText.Length(line) <= options.ShortLineLength)
                {
                    shortLines++;
                }
            }
            if (nl < 0)
            {
                break;
            }
            newlines++;
            pos = end + 1;
        }
        if (lineCount == 0)
        {
            return "empty";
        }
        double ratio = (double)punctuated / lineCount;
        if (ratio < options.LinePunctThr && !(ratio == 0 && options.LinePunctExcludeZero))
        {
            return "line_punct_ratio";
        }
        if ((double)shortLines / lineCount > options.ShortLineThr)
        {
            return "short_line_ratio";
        }
        var analysis = TextAnalysis.Of(text);
        if ((double)DuplicateLineChars(text) / (analysis.CodePoints - newlines) > options.CharDuplicatesRatio)
        {
            return "char_dup_ratio";
        }
        // The words are shared with the other word-level filters that saw the same text.
        if ((double)newlines / analysis.Words.Count > options.NewLineRatio)
        {
            return "list_ratio";
        }
        return null;
    }

    /// <summary>find_duplicates over the non-blank lines: the code points of the repeats.</summary>
    private static long DuplicateLineChars(string text)
    {
        var counter = Duplicates.DuplicateCounter.Start(text);
        var span = text.AsSpan();
        int pos = 0;
        while (true)
        {
            int nl = span[pos..].IndexOf('\n');
            int end = nl < 0 ? span.Length : pos + nl;
            if (PyText.HasNonSpace(span[pos..end]))
            {
                counter.Add(pos, end - pos);
            }
            if (nl < 0)
            {
                return counter.Chars;
            }
            pos = end + 1;
        }
    }

    private bool EndsWithStopChar(ReadOnlySpan<char> line)
    {
        if (_stopCodePoints is not null)
        {
            return Punctuation.EndsWithAny(line, _stopCodePoints);
        }
        foreach (var stop in options.StopChars)
        {
            if (line.EndsWith(stop, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static FrozenSet<int>? SingleCodePoints(IReadOnlyList<string> stops)
    {
        var set = new HashSet<int>();
        foreach (var stop in stops)
        {
            if (Rune.DecodeFromUtf16(stop, out var r, out int used) != OperationStatus.Done || used != stop.Length)
            {
                return null;
            }
            set.Add(r.Value);
        }
        return set.ToFrozenSet();
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("fineweb_quality", "datatrove FineWebQualityFilter: punctuated lines, short lines, duplicated line characters, newlines per word", p =>
        {
            var d = new FineWebQualityOptions();
            return new FineWebQualityFilter(new FineWebQualityOptions
            {
                LinePunctThr = p.GetDouble("line_punct_thr", d.LinePunctThr),
                LinePunctExcludeZero = p.GetBool("line_punct_exclude_zero", d.LinePunctExcludeZero),
                StopChars = p.GetStringList("stop_chars", d.StopChars),
                ShortLineThr = p.GetDouble("short_line_thr", d.ShortLineThr),
                ShortLineLength = p.GetInt("short_line_length", d.ShortLineLength),
                CharDuplicatesRatio = p.GetDouble("char_duplicates_ratio", d.CharDuplicatesRatio),
                NewLineRatio = p.GetDouble("new_line_ratio", d.NewLineRatio),
            });
        });
}
