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
    public override string Name => "fineweb_quality";

    public override string? Check(Document document)
    {
        string text = document.Text;
        var lines = LineSplitter.SplitOn(text, '\n').Where(r => PyText.HasNonSpace(text.AsSpan()[r])).ToList();
        if (lines.Count == 0)
        {
            return "empty";
        }
        int punctuated = lines.Count(r => EndsWithStopChar(text.AsSpan()[r]));
        double ratio = (double)punctuated / lines.Count;
        if (ratio < options.LinePunctThr && !(ratio == 0 && options.LinePunctExcludeZero))
        {
            return "line_punct_ratio";
        }
        int shortLines = lines.Count(r => PyText.Length(text.AsSpan()[r]) <= options.ShortLineLength);
        if ((double)shortLines / lines.Count > options.ShortLineThr)
        {
            return "short_line_ratio";
        }
        int newlines = PyText.Count(text, "\n");
        var (_, dupChars) = Duplicates.Find(text, lines);
        if ((double)dupChars / (PyText.Length(text) - newlines) > options.CharDuplicatesRatio)
        {
            return "char_dup_ratio";
        }
        var words = WordList.Split(text);
        if ((double)newlines / words.Count > options.NewLineRatio)
        {
            return "list_ratio";
        }
        return null;
    }

    private bool EndsWithStopChar(ReadOnlySpan<char> line)
    {
        foreach (var stop in options.StopChars)
        {
            if (line.EndsWith(stop, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
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
