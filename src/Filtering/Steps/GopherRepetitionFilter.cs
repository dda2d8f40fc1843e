using System.Globalization;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Text;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Steps;

/// <summary>GopherRepetitionFilter's settings, upstream defaults (Gopher Table A1); 0 turns a fraction off.</summary>
public sealed record GopherRepetitionOptions
{
    public double DupLineFrac { get; init; } = 0.3;
    public double DupParaFrac { get; init; } = 0.3;
    public double DupLineCharFrac { get; init; } = 0.2;
    public double DupParaCharFrac { get; init; } = 0.2;
    public IReadOnlyList<(int N, double Frac)> TopNGrams { get; init; } = [(2, 0.2), (3, 0.18), (4, 0.16)];
    public IReadOnlyList<(int N, double Frac)> DupNGrams { get; init; } = [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)];
}

/// <summary>
/// datatrove's GopherRepetitionFilter (gopher_repetition_filter.py): duplicate paragraphs
/// (re.split(r"\n{2,}", text.strip())), duplicate lines (re.split("\n+", text), unstripped), top
/// n-gram share and repeated n-gram share, all over len(text) in code points. Difference: an empty
/// text, where upstream divides by zero and raises, is kept here.
/// </summary>
public sealed class GopherRepetitionFilter(GopherRepetitionOptions options) : FilterStep
{
    public override string Name => "gopher_repetition";

    public override string? Check(Document document)
    {
        string text = document.Text;
        var analysis = TextAnalysis.Of(text);
        int textLength = analysis.CodePoints;
        if (textLength == 0)
        {
            return null;
        }
        int strippedStart = text.Length - PyText.LStrip(text).Length;
        int strippedEnd = strippedStart + PyText.RStrip(text.AsSpan(strippedStart)).Length;
        var (paragraphs, paraDup, paraChars) = Duplicates.InNewlineRuns(text, strippedStart, strippedEnd, 2);
        if (options.DupParaFrac != 0 && (double)paraDup / paragraphs > options.DupParaFrac)
        {
            return "dup_para_frac";
        }
        if (options.DupParaCharFrac != 0 && (double)paraChars / textLength > options.DupParaCharFrac)
        {
            return "dup_para_char_frac";
        }
        var (lines, lineDup, lineChars) = Duplicates.InNewlineRuns(text, 0, text.Length, 1);
        if (options.DupLineFrac != 0 && (double)lineDup / lines > options.DupLineFrac)
        {
            return "dup_line_frac";
        }
        if (options.DupLineCharFrac != 0 && (double)lineChars / textLength > options.DupLineCharFrac)
        {
            return "dup_line_char_frac";
        }
        // The words are shared with the other word-level filters that see the same text.
        var words = analysis.Words;
        foreach (var (n, frac) in options.TopNGrams)
        {
            if (words.Count - n + 1 <= 0)
            {
                continue;
            }
            if ((double)NGrams.TopDuplicateChars(words, n) / textLength > frac)
            {
                return $"top_{n}_gram";
            }
        }
        foreach (var (n, frac) in options.DupNGrams)
        {
            if ((double)NGrams.AllDuplicateChars(words, n) / textLength > frac)
            {
                return $"duplicated_{n}_n_grams";
            }
        }
        return null;
    }

    /// <summary>Reads n-gram settings written "n:fraction" (e.g. "2:0.2"), one list item each.</summary>
    public static IReadOnlyList<(int N, double Frac)> ParseNGramList(StepParameters p, string key, IReadOnlyList<(int N, double Frac)> defaults)
    {
        if (!p.Has(key))
        {
            p.GetStringList(key, []);
            return defaults;
        }
        var result = new List<(int, double)>();
        foreach (var item in p.GetStringList(key, []))
        {
            var parts = item.Split(':');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
            {
                throw new DataPipelineException($"step '{p.StepType}': each item of '{key}' must be \"n:fraction\" such as \"2:0.2\", not '{item}'");
            }
            result.Add((n, f));
        }
        return result;
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("gopher_repetition", "datatrove GopherRepetitionFilter: duplicate lines/paragraphs and repeated n-grams", p =>
        {
            var d = new GopherRepetitionOptions();
            return new GopherRepetitionFilter(new GopherRepetitionOptions
            {
                DupLineFrac = p.GetDouble("dup_line_frac", d.DupLineFrac),
                DupParaFrac = p.GetDouble("dup_para_frac", d.DupParaFrac),
                DupLineCharFrac = p.GetDouble("dup_line_char_frac", d.DupLineCharFrac),
                DupParaCharFrac = p.GetDouble("dup_para_char_frac", d.DupParaCharFrac),
                TopNGrams = ParseNGramList(p, "top_n_grams", d.TopNGrams),
                DupNGrams = ParseNGramList(p, "dup_n_grams", d.DupNGrams),
            });
        });
}
