using DataPipeline.Report.Charts;
using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>Language distribution and language-score histogram, for documents that carry language / language_score metadata.</summary>
public sealed class LanguageSection : IReportSection
{
    private const int TopLanguages = 20;

    public string Id => "languages";

    public string Title => "Languages";

    public string? Skip(ReportContext context) =>
        Stages(context).Any() ? null : "no document carries 'language' / 'language_score' metadata";

    public void Write(ReportContext context, HtmlWriter html)
    {
        foreach (var (stage, input) in Stages(context))
        {
            var sample = context.Sample(stage, input);
            var name = context.Stages[stage].Name;
            var where = input ? $"read by '{name}'" : $"written by '{name}'";
            html.Heading(3, $"Documents {where} (sample of {Format.Count(sample.Count)})");
            if (sample.Languages.Count > 0)
            {
                var top = sample.Languages.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(TopLanguages).ToList();
                html.Image(ChartMaker.Bars($"Language of documents {where} (top {top.Count})", "documents in the sample",
                    [.. top.Select(kv => kv.Key)], [.. top.Select(kv => (double)kv.Value)], horizontal: top.Count > 8,
                    "languages: " + string.Join(", ", top.Select(kv => $"{kv.Key} {kv.Value}")), categoryLabel: "language (the documents' 'language' field)"));
            }
            if (sample.LanguageScores.Count > 0)
            {
                html.Image(ChartMaker.Histogram($"Language score of documents {where}", "language_score (classifier confidence, 0 to 1)",
                    [new Series("", sample.LanguageScores)], logX: false, bins: 20, $"language_score histogram over {sample.LanguageScores.Count} documents", min: 0, max: 1));
            }
        }
    }

    /// <summary>The first stage's input and each document stage's output, where language metadata appears.</summary>
    private static IEnumerable<(int Stage, bool Input)> Stages(ReportContext context)
    {
        var candidates = new List<(int, bool)>();
        if (context.Stages.Count > 0)
        {
            candidates.Add((0, true));
        }
        candidates.AddRange(context.DocumentStages().Select(i => (i, false)));
        return candidates.Where(c => context.Sample(c.Item1, c.Item2) is { } s && (s.Languages.Count > 0 || s.LanguageScores.Count > 0));
    }
}
