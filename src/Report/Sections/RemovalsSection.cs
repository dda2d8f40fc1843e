using DataPipeline.Report.Charts;
using DataPipeline.Report.Data;
using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>Removals by step and reason, with a few removed documents per reason when the run kept them.</summary>
public sealed class RemovalsSection : IReportSection
{
    public string Id => "removals";

    public string Title => "Removals by filter and reason";

    public string? Skip(ReportContext context) => context.Stages.Any(s => s.Removed.Count > 0) ? null : "no step removed any document";

    public void Write(ReportContext context, HtmlWriter html)
    {
        foreach (var stage in context.Stages.Where(s => s.Removed.Count > 0))
        {
            var ordered = stage.Removed.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            long total = ordered.Sum(kv => kv.Value);
            html.Heading(3, $"Stage '{stage.Name}': {Format.Count(total)} of {Format.Count(stage.DocumentsIn)} documents removed ({Format.Percent((double)total / Math.Max(1, stage.DocumentsIn))})");
            html.Image(ChartMaker.Bars($"Documents removed in '{stage.Name}', by step / reason", "documents removed",
                [.. ordered.Select(kv => kv.Key.Replace("/", " / ", StringComparison.Ordinal))], [.. ordered.Select(kv => (double)kv.Value)], horizontal: true,
                "removed by step / reason: " + string.Join(", ", ordered.Select(kv => $"{kv.Key} {kv.Value}"))));

            var parts = context.Run.RemovedParts(stage);
            var examples = RemovedExamples.Read(parts, ordered.Select(kv => kv.Key), context.Options.ExamplesPerReason, context.Options.RemovedBytesPerStage);
            html.Table(["step", "reason", "documents", "share of stage input"],
                ordered.Select(kv => (IReadOnlyList<string>)[Step(kv.Key), Reason(kv.Key), Format.Count(kv.Value), Format.Percent((double)kv.Value / Math.Max(1, stage.DocumentsIn))]),
                new HashSet<int> { 2, 3 });
            if (parts.Count == 0)
            {
                html.Paragraph("Removed documents were not kept in this run (set keep_removed: true in the pipeline to see examples here).", "note");
                continue;
            }
            html.Paragraph($"Examples: the first {context.Options.ExamplesPerReason} removed documents per reason (first {RemovedExamples.PreviewChars} characters), from removed/{stage.Name}/. Click a reason to open it.", "note");
            var without = ordered.Where(kv => !examples.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList();
            if (without.Count > 0)
            {
                html.Paragraph($"No example for {string.Join(", ", without)}: the report reads at most {Format.MB(context.Options.RemovedBytesPerStage)} of removed documents per stage " +
                    $"(spread over its parts) to stay fast; look in removed/{stage.Name}/ for them.", "note");
            }
            foreach (var (key, _) in ordered)
            {
                if (!examples.TryGetValue(key, out var list))
                {
                    continue;
                }
                html.Details($"{key} ({list.Count} example{(list.Count == 1 ? "" : "s")})", h =>
                {
                    foreach (var e in list)
                    {
                        h.Raw("<div class=\"example\"><div class=\"meta\">").Raw(HtmlWriter.Escape($"{e.Id} · {Format.Count(e.Characters)} characters"))
                            .Raw("</div><pre>").Raw(HtmlWriter.Escape(e.Preview)).Raw("</pre></div>\n");
                    }
                });
            }
        }
    }

    private static string Step(string key) => key.Contains('/', StringComparison.Ordinal) ? key[..key.IndexOf('/', StringComparison.Ordinal)] : key;

    private static string Reason(string key) => key.Contains('/', StringComparison.Ordinal) ? key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..] : "";
}
